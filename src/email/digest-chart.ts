import type { Image } from '../domain/message.ts';
import type { Logger } from '../logger.ts';
import { collectStats } from '../stats/collect-stats.ts';
import { statsMessage } from '../stats/stats-message.ts';
import { periodWindow } from '../stats/stats-window.ts';
import type { EndpointActivity } from './build-digest.ts';

/** The chart of `stats` for a digest period, all endpoints together; none for a quiet period or when drawing fails (the mail goes without it). */
export async function digestChart(activity: EndpointActivity[], start: number, end: number, logger: Logger): Promise<Image | undefined> {
  const deliveries = activity.flatMap((endpoint) => endpoint.deliveries).sort((a, b) => a.receivedAt - b.receivedAt);
  if (deliveries.length === 0) return undefined;
  const window = periodWindow(start, end);
  try {
    return (await statsMessage('all endpoints', window, collectStats(window, deliveries, activity.flatMap((endpoint) => endpoint.rejections)))).image;
  } catch (error) {
    logger.error({ err: error }, 'could not draw the digest chart; sending the digest without it');
    return undefined;
  }
}
