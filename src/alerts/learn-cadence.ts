import { EXPECT_MAX_MS } from '../domain/expectation.ts';

/** Deliveries of a type needed before its cadence is trusted: fewer, and nothing fires. */
export const LEARN_MIN_DELIVERIES = 10;
/** The learned gap is this multiple of the 95th percentile of the type's recent gaps... */
export const LEARN_FACTOR = 3;
/** ...and never under this, so a burst of quick deliveries does not teach a one-second cadence. */
export const LEARN_FLOOR_MS = 10 * 60_000;

export interface Arrival {
  at: number;
  event: string;
}

export interface LearnedCadence {
  event: string;
  everyMs: number;
  /** The newest arrival of this event type. */
  lastAt: number;
  samples: number;
}

/**
 * Per event type with enough history: alert after max(floor, 3 x p95 of its gaps). A high percentile
 * rather than the mean, so a sender with irregular gaps is judged by its slow days; the multiple
 * leaves room for a slow day beyond those seen.
 */
export function learnCadence(arrivals: Arrival[]): LearnedCadence[] {
  const byEvent = new Map<string, number[]>();
  for (const { at, event } of arrivals) {
    const times = byEvent.get(event);
    if (times) times.push(at);
    else byEvent.set(event, [at]);
  }
  const learned: LearnedCadence[] = [];
  for (const [event, times] of byEvent) {
    if (times.length < LEARN_MIN_DELIVERIES) continue;
    const sorted = times.sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((at, i) => at - sorted[i]!).sort((a, b) => a - b);
    const p95 = gaps[Math.ceil(gaps.length * 0.95) - 1]!;
    const everyMs = Math.min(EXPECT_MAX_MS, Math.max(LEARN_FLOOR_MS, LEARN_FACTOR * p95));
    learned.push({ event, everyMs, lastAt: sorted.at(-1)!, samples: times.length });
  }
  return learned;
}
