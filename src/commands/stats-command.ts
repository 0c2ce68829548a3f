import type { Delivery, Rejection } from '../domain/delivery.ts';
import { formatDuration } from '../domain/duration.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { formatBytes, formatTime } from '../domain/format.ts';
import type { Message } from '../domain/message.ts';
import { collectStats, type Stats } from '../stats/collect-stats.ts';
import { renderStatsChart } from '../stats/render-stats-chart.ts';
import { bucketLabels, STATS_WINDOWS, statsWindow, type StatsWindow, type StatsWindowName } from '../stats/stats-window.ts';
import { chatEndpoints } from './chat-endpoints.ts';
import { UsageError, type Command, type CommandInput } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

const BAR_WIDTH = 20;

export const statsCommand: Command = {
  name: 'stats',
  audience: 'caller',
  summary: 'traffic by event type and over time, with a chart: rejected, invalid signatures, sizes, typical gap',
  args: [
    { name: 'endpoint', kind: 'endpoint', optional: true, description: 'only this endpoint (default: all of this chat)' },
    { name: 'period', label: STATS_WINDOWS.join('|'), kind: 'choice', choices: [...STATS_WINDOWS], optional: true, description: 'how far back (default 24h)' },
  ],
  examples: [[], ['stripe', '7d']],
  async run(input) {
    const { endpoints, named, windowName } = await parseArgs(input);
    const window = statsWindow(windowName, input.services.now());
    const { deliveries, rejections } = await loadWindow(input, endpoints, window);
    const stats = collectStats(window, deliveries, rejections);
    const scope = named ? named.name : 'all endpoints';
    return statsMessage(`${scope}, last ${windowName}`, window, stats);
  },
};

/** The text of `stats` and its chart; also what an email digest shows. */
export async function statsMessage(scope: string, window: StatsWindow, stats: Stats): Promise<Message> {
  const unit = window.bucketMs < 86_400_000 ? 'hour' : 'day';
  const counts = [`${plural(stats.total, 'delivery', 'deliveries')} since ${formatTime(window.start)}`, `${stats.rejected} rejected as too large (413)`, plural(stats.invalidSignatures, 'invalid signature', 'invalid signatures')];
  if (stats.total === 0) return { title: `No deliveries (${scope})`, lines: [counts.join(' · ')] };
  const sizes = `Sizes: p50 ${formatBytes(stats.sizeP50!)}, max ${formatBytes(stats.sizeMax!)}`;
  const gap = stats.typicalGapMs === undefined ? [] : [`typical gap ${formatDuration(stats.typicalGapMs)}`];
  const title = `Stats (${scope})`;
  const labels = bucketLabels(window);
  const chart = await renderStatsChart(`Deliveries per ${unit} (UTC), ${scope}`, labels, stats);
  return {
    title,
    lines: [counts.join(' · '), [sizes, ...gap].join(' · ')],
    fields: stats.byEvent.map(({ event, count }) => ({ label: event, value: `${count} (${Math.round((count / stats.total) * 100)}%)` })),
    code: { language: 'text', content: bars(labels, stats) },
    image: { filename: `stats-${window.name}.png`, png: chart.png, alt: `Deliveries per ${unit} (UTC), stacked by event type: ${stats.byEvent.map(({ event, count }) => `${event} ${count}`).join(', ')}` },
  };
}

/** One line per hour or day with a bar, the chart in text for places without pictures. */
function bars(labels: string[], stats: Stats): string {
  const totals = stats.perBucket.map((bucket) => Object.values(bucket).reduce((a, b) => a + b, 0));
  const most = Math.max(...totals, 1);
  const width = String(most).length;
  return labels.map((label, i) => `${label} ${String(totals[i]).padStart(width)} ${'█'.repeat(Math.ceil((totals[i]! / most) * BAR_WIDTH))}`).join('\n');
}

async function loadWindow(input: CommandInput, endpoints: Endpoint[], window: StatsWindow): Promise<{ deliveries: Delivery[]; rejections: Rejection[] }> {
  const { deliveries } = input.services;
  const each = await Promise.all(
    endpoints.map(async (endpoint) => ({
      deliveries: await deliveries.between(endpoint.id, window.start, window.end),
      rejections: await deliveries.rejectionsBetween(endpoint.id, window.start, window.end),
    })),
  );
  return { deliveries: each.flatMap((one) => one.deliveries).sort((a, b) => a.receivedAt - b.receivedAt), rejections: each.flatMap((one) => one.rejections) };
}

async function parseArgs(input: CommandInput): Promise<{ endpoints: Endpoint[]; named?: Endpoint; windowName: StatsWindowName }> {
  const [first, second] = input.args;
  const isWindow = (text: string | undefined): text is StatsWindowName => STATS_WINDOWS.includes(text?.toLowerCase() as StatsWindowName);
  if (second !== undefined && !isWindow(second)) throw new UsageError(`"${second}" is not a period: use ${STATS_WINDOWS.join(', ')}.`);
  if (first === undefined || (second === undefined && isWindow(first))) {
    return { endpoints: await chatEndpoints(input), windowName: first === undefined ? '24h' : (first.toLowerCase() as StatsWindowName) };
  }
  const named = await resolveEndpoint(input, first);
  return { endpoints: [named], named, windowName: second === undefined ? '24h' : (second.toLowerCase() as StatsWindowName) };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
