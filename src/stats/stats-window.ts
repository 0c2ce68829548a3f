const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const STATS_WINDOWS = ['24h', '7d', '30d'] as const;
export type StatsWindowName = (typeof STATS_WINDOWS)[number];

/** A period cut into whole UTC hours or days, the last one holding `now`. */
export interface StatsWindow {
  /** `24h`, `7d`, `30d`, or `period` for a digest's. */
  name: string;
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

/** A digest period cut into 5-minute, hour or day buckets, whichever gives a readable number of bars. */
export function periodWindow(start: number, end: number): StatsWindow {
  const span = end - start;
  const bucketMs = span <= 3 * HOUR ? 5 * MINUTE : span <= 2 * DAY ? HOUR : DAY;
  const first = Math.floor(start / bucketMs) * bucketMs;
  return { name: 'period', start: first, end, bucketMs, buckets: Math.max(1, Math.ceil((end - first) / bucketMs)) };
}

/** What one bar stands for: `hour`, `day` or `5 minutes`. */
export function bucketUnit(window: StatsWindow): string {
  return window.bucketMs >= DAY ? 'day' : window.bucketMs >= HOUR ? 'hour' : `${window.bucketMs / MINUTE} minutes`;
}
