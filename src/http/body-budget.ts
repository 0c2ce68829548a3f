/** What one request holds of the budget: grows as its body is admitted, released once at the end. */
export interface BodyHold {
  /** Takes `bytes` more from the budget, or nothing and false when they do not fit. */
  grow(bytes: number): boolean;
  /** Gives back all it took; later calls do nothing. */
  release(): void;
}

export type BodyBudget = ReturnType<typeof createBodyBudget>;

/**
 * The bytes of request bodies held in memory at once, across all requests (MAX_INFLIGHT_BODY_BYTES).
 * A per-request limit alone lets 80 senders of 5 MB take a gigabyte; this bounds the sum.
 */
export function createBodyBudget(limitBytes: number) {
  let used = 0;
  return {
    hold(): BodyHold {
      let held = 0;
      return {
        grow(bytes) {
          if (used + bytes > limitBytes) return false;
          used += bytes;
          held += bytes;
          return true;
        },
        release() {
          used -= held;
          held = 0;
        },
      };
    },
  };
}
