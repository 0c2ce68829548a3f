import { createHash } from 'node:crypto';

/** The longest a poll is put off by backoff or Retry-After: a watch is never silent for more than a day. */
export const MAX_DELAY_MS = 86_400_000;
/** Backoff doubles per failure up to the interval or an hour, whichever is longer. */
const BACKOFF_CAP_MS = 3_600_000;

export interface PollTiming {
  endpointId: string;
  everyMs: number;
  /** Polls in a row that failed. */
  failures: number;
  /** What the API asked for (Retry-After), if anything. */
  retryAfterMs?: number;
}

/**
 * When to poll next: on the watch's own slot in its interval (an offset from a hash of its id), so a
 * thousand watches of 30 s spread over the 30 s instead of all polling at once, and however long the
 * service was down, the next poll is the next slot, not a backlog. Failures and Retry-After push it later.
 */
export function nextPollAt(timing: PollTiming, now: number): number {
  const offset = createHash('sha256').update(timing.endpointId).digest().readUInt32BE(0) % timing.everyMs;
  const slot = now + ((((offset - now) % timing.everyMs) + timing.everyMs) % timing.everyMs || timing.everyMs);
  const backoff = timing.failures > 0 ? Math.min(timing.everyMs * 2 ** (timing.failures - 1), Math.max(timing.everyMs, BACKOFF_CAP_MS)) : 0;
  const delay = Math.min(Math.max(backoff, timing.retryAfterMs ?? 0), MAX_DELAY_MS);
  return Math.max(slot, now + delay);
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
