/** Waits that a stop() cuts short: each resolves at once when wakeAll() is called, so loops can see they must end. */
export function createInterruptibleSleeps() {
  const sleepers = new Set<() => void>();
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        }
        sleepers.add(done);
      });
    },
    wakeAll(): void {
      for (const wake of sleepers) wake();
    },
  };
}
