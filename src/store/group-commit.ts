/**
 * Group commit: callers in the same event-loop turn (and while a commit is in flight) share one
 * commit. Each caller's promise settles with the commit that carried its items, so nobody is
 * answered before their write is durable, and one fsync serves many requests.
 */
export function createGroupCommit<T>(commit: (items: T[]) => Promise<void>, maxItems: number) {
  let pending: Array<{ items: T[]; done: (error?: unknown) => void }> = [];
  let inFlight = false;

  async function flush(): Promise<void> {
    inFlight = true;
    while (pending.length > 0) {
      const batch = takeBatch();
      try {
        await commit(batch.flatMap((entry) => entry.items));
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.done(error);
      }
    }
    inFlight = false;
  }

  /** Whole callers only, so one caller's items are never split across commits. */
  function takeBatch() {
    let count = 0;
    let taken = 0;
    while (taken < pending.length && (taken === 0 || count + pending[taken]!.items.length <= maxItems)) {
      count += pending[taken]!.items.length;
      taken += 1;
    }
    return pending.splice(0, taken);
  }

  return function enqueue(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      pending.push({ items, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!inFlight) {
        inFlight = true;
        setImmediate(() => void flush());
      }
    });
  };
}
