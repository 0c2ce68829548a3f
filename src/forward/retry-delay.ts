/** Longest wait between two tries: a target down for hours is still tried several times an hour. */
export const MAX_RETRY_DELAY_MS = 15 * 60_000;

/**
 * The wait before try `tries + 1`: exponential from `baseMs`, with jitter (half to all of it) so a
 * target that comes back is not hit by every waiting relay in the same millisecond; at least what the
 * target asked for in `Retry-After` (itself capped, so a target cannot park a relay for a year).
 */
export function retryDelay(tries: number, retryAfterMs: number | undefined, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, tries - 1));
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_DELAY_MS));
}

/** Whether a target's answer is worth another try: no answer, 408, 429 and 5xx; anything else is final. */
export function isRetryable(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}
