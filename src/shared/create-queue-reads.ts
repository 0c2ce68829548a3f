/**
 * Reads of a work queue's stored items (outbox entries, relay jobs) that leave out what the queue let go
 * of while the read was under way: an item sent and removed just after the read saw it is not taken
 * up again, and neither is one whose removal is still being written.
 */
export function createQueueReads() {
  /** Let go of, removal not yet written. */
  const leaving = new Set<string>();
  /** Per read under way: what was let go of since it began. */
  const reads = new Set<Set<string>>();

  return {
    /** The queue lets go of these items; `removal` (awaited) deletes them from the store. */
    async letGo<T>(itemKeys: string[], removal: () => Promise<T>): Promise<T> {
      for (const key of itemKeys) leaving.add(key);
      for (const read of reads) for (const key of itemKeys) read.add(key);
      try {
        return await removal();
      } finally {
        for (const key of itemKeys) leaving.delete(key);
      }
    },

    async read<T>(load: () => Promise<T[]>, keyOf: (item: T) => string): Promise<T[]> {
      const letGo = new Set<string>();
      reads.add(letGo);
      try {
        const items = await load();
        return items.filter((item) => !letGo.has(keyOf(item)) && !leaving.has(keyOf(item)));
      } finally {
        reads.delete(letGo);
      }
    },
  };
}
