import { createHash } from 'node:crypto';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';

/** Rows removed per write: far below SQLite's 32,766 bound parameters, and a short lock each. */
export const REMOVAL_CHUNK = 500;

/** Event ids can be long and contain anything: the key holds a hash. */
const hashOf = (eventId: string) => createHash('sha256').update(eventId).digest('base64url').slice(0, 32);

export type EventIdIndex = ReturnType<typeof createEventIdIndex>;

/**
 * The first delivery of each provider event id, per endpoint, for duplicate detection. The whole index
 * is in memory (read once at start, kept by claims and removals; about 200 bytes an id), so a claim
 * reads nothing: the verdict is decided before the delivery's commit, exact across restarts, and never
 * waits behind other commits. What is stored is one row per claimed id, under the delivery's id and
 * written with the delivery (`eventid-of:<endpoint>:<delivery>` -> the id's key), so retention removes
 * it with the delivery (a range below the same cut) and the index stays as bounded as the deliveries
 * are. Keyed by delivery, the rows of a commit land where that endpoint's newest rows are, instead of
 * each at a random place in the key index as a row keyed by the id's hash would (a whole page written
 * for each). Databases written before keep such rows (`eventid:<endpoint>:<hash>` -> the delivery) beside
 * the ones under their deliveries: they are read at start and removed with their deliveries, or by the sweep.
 */
export function createEventIdIndex(store: KeyValueStore, options: { tell?: (changes: string[]) => void } = {}) {
  const known = new Map<string, string>();

  /** Every entry under `prefix`, a page at a time. */
  async function readPages(prefix: string, take: (key: string, value: string) => void): Promise<void> {
    let from: string | undefined;
    for (;;) {
      const page = await store.scan(prefix, { limit: REMOVAL_CHUNK, ...(from === undefined ? {} : { from }) });
      for (const entry of page) if (typeof entry.value === 'string') take(entry.key, entry.value);
      if (page.length < REMOVAL_CHUNK) return;
      from = `${page.at(-1)!.key.slice(prefix.length)}\u0000`;
    }
  }

  async function removeKeys(indexKeys: string[], extra: string[] = []): Promise<void> {
    await store.write({ delete: [...indexKeys, ...extra] });
    for (const key of indexKeys) known.delete(key);
    options.tell?.(indexKeys.map((key) => `-${key}`));
  }

  return {
    /** Reads the index into memory, a page at a time; before the first claim. */
    async load(): Promise<void> {
      await readPages(keys.allEventIdsByDelivery, (owner, key) => known.set(key, lastSegment(owner)));
      // Rows of databases written before ids were kept under their deliveries only.
      await readPages(keys.allEventIds, (key, deliveryId) => known.set(key, deliveryId));
    },

    /**
     * The earlier delivery with this event id, or undefined (and the rows that make this one the
     * first). Claimed at once, so a copy arriving while this one is being stored is a duplicate too.
     */
    claim(endpointId: string, eventId: string, deliveryId: string): { duplicateOf?: string; entries: Array<[string, string]> } {
      const key = keys.eventId(endpointId, hashOf(eventId));
      const first = known.get(key);
      if (first !== undefined && first !== deliveryId) return { duplicateOf: first, entries: [] };
      known.set(key, deliveryId);
      // Told before the delivery's commit: the window in which another process takes a copy for the first is as short as it can be.
      options.tell?.([`+${key} ${deliveryId}`]);
      return { entries: [[keys.eventIdOf(endpointId, deliveryId), key]] };
    },

    /** A claim whose delivery was not stored (its write failed): the next copy is the first. */
    release(entries: Array<[string, string]>): void {
      const released = entries.filter(([owner, key]) => known.get(key) === lastSegment(owner)).map(([, key]) => key);
      for (const key of released) known.delete(key);
      if (released.length > 0) options.tell?.(released.map((key) => `-${key}`));
    },

    /** Claims and removals told by another process (`+key deliveryId`, `-key`); a claim known here already stands. */
    learn(changes: string[]): void {
      for (const change of changes) {
        const [key = '', deliveryId] = change.slice(1).split(' ');
        if (change.startsWith('-')) known.delete(key);
        else if (deliveryId !== undefined && !known.has(key)) known.set(key, deliveryId);
      }
    },

    /** Removes the ids claimed by deliveries below `cut` (the delivery ids retention removes), in chunks. */
    async removeBelow(endpointId: string, cut: string): Promise<void> {
      for (;;) {
        const owners = await store.scan(keys.eventIdsByDelivery(endpointId), { to: cut, limit: REMOVAL_CHUNK });
        if (owners.length === 0) return;
        await removeKeys(
          owners.flatMap((owner) => (typeof owner.value === 'string' ? [owner.value] : [])),
          owners.map((owner) => owner.key),
        );
      }
    },

    /**
     * Removes ids whose first delivery is gone (older than the endpoint's oldest stored one), in
     * chunks: rows written before ids were removed with their deliveries, or left by a crash.
     */
    async sweep(endpointId: string): Promise<void> {
      const [oldest] = await store.scan(keys.deliveries(endpointId), { limit: 1, keysOnly: true });
      const floor = oldest ? lastSegment(oldest.key) : undefined;
      let from: string | undefined;
      for (;;) {
        const page = await store.scan(keys.eventIds(endpointId), { limit: REMOVAL_CHUNK, ...(from === undefined ? {} : { from }) });
        const gone = page.filter((entry) => typeof entry.value !== 'string' || floor === undefined || entry.value < floor);
        if (gone.length > 0) await removeKeys(gone.map((entry) => entry.key));
        if (page.length < REMOVAL_CHUNK) return;
        // Keys sort, and the last one read is either gone or kept: go on just after it.
        from = `${lastSegment(page.at(-1)!.key)}\u0000`;
      }
    },
  };
}
