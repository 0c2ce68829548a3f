import { formatDuration } from '../domain/duration.ts';
import { formatBytes, formatTime } from '../domain/format.ts';
import type { Message } from '../domain/message.ts';
import type { ForwardingStats } from './collect-forwarding.ts';
import type { Stats } from './collect-stats.ts';
import { renderStatsChart } from './render-stats-chart.ts';
import { bucketLabels, bucketUnit, type StatsWindow } from './stats-window.ts';

const BAR_WIDTH = 20;

/** The text of `stats` and its chart, with how each forwarding endpoint's relays went; also what an email digest shows. */
export async function statsMessage(scope: string, window: StatsWindow, stats: Stats, forwarding: Array<{ endpoint: string; relays: ForwardingStats }> = []): Promise<Message> {
  const unit = bucketUnit(window);
  const counts = [`${plural(stats.total, 'delivery', 'deliveries')} since ${formatTime(window.start)}`, `${stats.rejected} rejected as too large (413)`, plural(stats.invalidSignatures, 'invalid signature', 'invalid signatures')];
  if (stats.total === 0) return { title: `No deliveries (${scope})`, lines: [counts.join(' · ')] };
  const sizes = `Sizes: p50 ${formatBytes(stats.sizeP50!)}, max ${formatBytes(stats.sizeMax!)}`;
  const gap = stats.typicalGapMs === undefined ? [] : [`typical gap ${formatDuration(stats.typicalGapMs)}`];
  const title = `Stats (${scope})`;
  const labels = bucketLabels(window);
  const chart = await renderStatsChart(`Deliveries per ${unit} (UTC), ${scope}`, labels, stats);
  return {
    title,
    lines: [counts.join(' · '), [sizes, ...gap].join(' · '), ...forwarding.map(({ endpoint, relays }) => forwardingLine(endpoint, relays))],
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

/** `Forwarding stripe: 40 delivered · 2 failed · 1 pending · answer p50 38 ms` */
function forwardingLine(endpoint: string, relays: ForwardingStats): string {
  const answer = relays.answerP50Ms === undefined ? [] : [`answer p50 ${relays.answerP50Ms} ms`];
  return [`Forwarding ${endpoint}: ${relays.delivered} delivered`, `${relays.failed} failed`, `${relays.pending} pending`, ...answer].join(' · ');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
