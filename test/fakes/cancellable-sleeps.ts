/** Delays in the fakes (setDelay, webhook retries) that stop() can cancel. */

/** sleep() on timers kept in one place; cancelAll() clears them, and the cancelled sleeps never resolve. */
export class CancellableSleeps {
  private readonly timers = new Set<NodeJS.Timeout>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
