import { eventLabel, type Delivery, type Rejection } from '../domain/delivery.ts';
import type { StatsWindow } from './stats-window.ts';

/** Event types beyond this many are summed as "other" (in the text and as one colour in the chart). */
export const MAX_EVENT_TYPES = 8;
export const OTHER_EVENTS = 'other';

export interface Stats {
  total: number;
  rejected: number;
  invalidSignatures: number;
  /** Event types by count, most first, with the rest as OTHER_EVENTS. */
  byEvent: Array<{ event: string; count: number }>;
  /** Per bucket of the window, per event type of `byEvent`. */
  perBucket: Array<Record<string, number>>;
  sizeP50?: number;
  sizeMax?: number;
  /** The median time between consecutive deliveries. */
  typicalGapMs?: number;
}

/** The figures of `stats` from a window's deliveries (oldest first) and rejections. */
export function collectStats(window: StatsWindow, deliveries: Delivery[], rejections: Rejection[]): Stats {
  const counts = new Map<string, number>();
  for (const delivery of deliveries) counts.set(eventLabel(delivery), (counts.get(eventLabel(delivery)) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = new Set(ranked.slice(0, ranked.length > MAX_EVENT_TYPES ? MAX_EVENT_TYPES - 1 : MAX_EVENT_TYPES).map(([event]) => event));
  const typeOf = (delivery: Delivery) => (shown.has(eventLabel(delivery)) ? eventLabel(delivery) : OTHER_EVENTS);

  const perBucket = Array.from({ length: window.buckets }, () => ({}) as Record<string, number>);
  const byEvent = new Map<string, number>();
  for (const delivery of deliveries) {
    const bucket = perBucket[Math.floor((delivery.receivedAt - window.start) / window.bucketMs)];
    const type = typeOf(delivery);
    if (bucket) bucket[type] = (bucket[type] ?? 0) + 1;
    byEvent.set(type, (byEvent.get(type) ?? 0) + 1);
  }
  const sizes = deliveries.map((delivery) => delivery.size).sort((a, b) => a - b);
  const gaps = deliveries.slice(1).map((delivery, i) => delivery.receivedAt - deliveries[i]!.receivedAt);
  return {
    total: deliveries.length,
    rejected: rejections.length,
    invalidSignatures: deliveries.filter((delivery) => delivery.analysis?.signature.status === 'invalid').length,
    byEvent: [...byEvent].map(([event, count]) => ({ event, count })).sort((a, b) => Number(a.event === OTHER_EVENTS) - Number(b.event === OTHER_EVENTS) || b.count - a.count),
    perBucket,
    ...(sizes.length > 0 ? { sizeP50: median(sizes), sizeMax: sizes.at(-1)! } : {}),
    ...(gaps.length > 0 ? { typicalGapMs: median(gaps.sort((a, b) => a - b)) } : {}),
  };
}

/** The middle of sorted numbers (the lower middle of an even count). */
export function median(sorted: number[]): number {
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
