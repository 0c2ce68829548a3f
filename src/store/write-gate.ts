/**
 * Writes of an endpoint's rows under way, per endpoint. Deleting an endpoint first closes its
 * gate (no new write may start) and then waits for the writes already inside: a request that
 * passed the token lookup just before the delete cannot add rows after it.
 */
export function createWriteGate() {
  /** Endpoints deleted by this process. Ids are random, so the set only grows by one per delete. */
  const closed = new Set<string>();
  const inside = new Map<string, { count: number; emptied: Array<() => void> }>();

  function leave(id: string): void {
    const entry = inside.get(id)!;
    entry.count -= 1;
    if (entry.count > 0) return;
    inside.delete(id);
    for (const resolve of entry.emptied) resolve();
  }

  return {
    isClosed: (id: string) => closed.has(id),

    /** Runs `write` unless the gate is closed (then undefined). */
    async pass<T>(id: string, write: () => Promise<T>): Promise<T | undefined> {
      if (closed.has(id)) return undefined;
      const entry = inside.get(id) ?? { count: 0, emptied: [] };
      entry.count += 1;
      inside.set(id, entry);
      try {
        return await write();
      } finally {
        leave(id);
      }
    },

    /** Closes the gate and resolves once no write is inside. */
    async close(id: string): Promise<void> {
      closed.add(id);
      const entry = inside.get(id);
      if (entry) await new Promise<void>((resolve) => entry.emptied.push(resolve));
    },
  };
}
