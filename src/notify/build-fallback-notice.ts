import { formatBytes, formatTime } from '../domain/format.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { Field, Message } from '../domain/message.ts';
import { cutText } from '../domain/truncate.ts';
import { sumTallies, tallyOf } from './backlog-tally.ts';
import type { NotificationSource } from './load-notification-source.ts';

const MAX_REASON_CHARS = 200;

/**
 * The plain form of a notification that could not be built or that the platform refused as malformed:
 * only our own words, ids and sizes (nothing a sender wrote, no code block, no buttons), so it goes
 * through where the full one cannot, and the queue moves on.
 */
export function buildFallbackNotice({ batch, endpoints, delivery }: NotificationSource, reason: string): Message {
  const names = [...new Set(batch.map((entry) => endpoints.get(entry.endpointId)?.name ?? entry.endpointId))].join(', ');
  const why = `Preview unavailable: ${cutText(reason, MAX_REASON_CHARS)}.`;
  const total = sumTallies(batch.map(tallyOf));
  if (total.count === 1) {
    const fields: Field[] = [
      { label: 'Received', value: formatTime(deliveryIdTime(total.lastId)) },
      ...(delivery ? [{ label: 'Size', value: formatBytes(delivery.size) }] : []),
      { label: 'Delivery', value: total.lastId },
    ];
    return { title: `${names} · delivery ${total.lastId}`, tone: 'warning', lines: [why, 'The delivery is stored: its payload and headers can still be asked for by id.'], fields };
  }
  return {
    title: `${total.count} deliveries to ${names}`,
    tone: 'warning',
    lines: [why, `Ids ${total.firstId} to ${total.lastId}, all stored.`],
  };
}
