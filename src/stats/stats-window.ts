const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const STATS_WINDOWS = ['24h', '7d', '30d'] as const;
export type StatsWindowName = (typeof STATS_WINDOWS)[number];

/** A period cut into whole UTC hours or days, the last one holding `now`. */
export interface StatsWindow {
  name: StatsWindowName;
  start: number;
  end: number;
  bucketMs: number;
  buckets: number;
}

const SHAPES: Record<StatsWindowName, { bucketMs: number; buckets: number }> = {
  '24h': { bucketMs: HOUR, buckets: 24 },
  '7d': { bucketMs: DAY, buckets: 7 },
  '30d': { bucketMs: DAY, buckets: 30 },
};

export function statsWindow(name: StatsWindowName, now: number): StatsWindow {
  const { bucketMs, buckets } = SHAPES[name];
  const end = (Math.floor(now / bucketMs) + 1) * bucketMs;
  return { name, start: end - buckets * bucketMs, end, bucketMs, buckets };
}

/** `10:00` for hours, `11-20` for days (UTC), the labels of a window's buckets. */
export function bucketLabels(window: StatsWindow): string[] {
  return Array.from({ length: window.buckets }, (_, i) => {
    const iso = new Date(window.start + i * window.bucketMs).toISOString();
    return window.bucketMs < DAY ? iso.slice(11, 16) : iso.slice(5, 10);
  });
}
