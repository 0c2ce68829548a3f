/**
 * Consecutive failed tries after which a target's lane holds its jobs: the lane's whole in-flight window
 * (8) failing with no success between is an outage, not a blip (a lone 503 or one timeout is left to the
 * job's own retry); and at 200 deliveries/s a dead target reaches it within milliseconds, so few tries
 * are wasted before the lane holds.
 */
export const BREAKER_THRESHOLD = 8;

export type TargetBreaker = ReturnType<typeof createTargetBreaker>;

/**
 * A target's circuit breaker, in memory only (a restart starts closed; the jobs stay stored). Open after
 * BREAKER_THRESHOLD failed tries in a row: the lane then sends one probe at a time, not before the last
 * failed try's own backoff (its Retry-After included); any try the target answered for good closes it.
 */
export function createTargetBreaker() {
  let failures = 0;
  let probeAt = 0;

  return {
    isOpen: (): boolean => failures >= BREAKER_THRESHOLD,
    /** When the next probe may start (open only). */
    probeAt: (): number => probeAt,
    /**
     * A settled try: `retryAt` is when the failed try would be retried (undefined: the target answered,
     * be it 2xx or a final 4xx, which is the delivery's problem, not the target's).
     */
    note(retryAt: number | undefined): void {
      failures = retryAt === undefined ? 0 : failures + 1;
      probeAt = retryAt === undefined ? 0 : Math.max(probeAt, retryAt);
    },
  };
}
