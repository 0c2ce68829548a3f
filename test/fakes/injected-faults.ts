/** What a test asks a fake to do wrong: answer 429 or refuse the next throttled calls, or answer late. */

/** Pending injected 429s (their retry-after, in seconds), refusals and the configured answer delay. */
export class InjectedFaults {
  private readonly pending429: number[] = [];
  private readonly pendingRefusals: string[] = [];
  /** Delay before answering the calls a fake delays, ms (0 = off). */
  delayMs = 0;

  /** The next `count` calls that take a 429 get one with `retryAfter`. */
  inject429(count: number, retryAfter: number): void {
    for (let i = 0; i < count; i++) this.pending429.push(retryAfter);
  }

  /** The retry-after of the next pending 429, taken off the queue; undefined when none is pending. */
  take429(): number | undefined {
    return this.pending429.shift();
  }

  /** The next `count` calls are refused as the platform refuses a malformed message, saying `reason`. */
  injectRefusal(count: number, reason: string): void {
    for (let i = 0; i < count; i++) this.pendingRefusals.push(reason);
  }

  /** The reason of the next pending refusal, taken off the queue; undefined when none is pending. */
  takeRefusal(): string | undefined {
    return this.pendingRefusals.shift();
  }
}
