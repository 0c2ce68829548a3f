import { createHash } from 'node:crypto';
import { deliveryIdTime } from '../domain/ids.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';

/** Recent event ids answered from memory, so two copies arriving at once are still caught. */
const MEMORY_LIMIT = 10_000;

/** Event ids can be long and contain anything: the key holds a hash. */
const hashOf = (eventId: string) => createHash('sha256').update(eventId).digest('base64url').slice(0, 32);

export type EventIdIndex = ReturnType<typeof createEventIdIndex>;

/**
 * The first delivery of each provider event id, per endpoint, for duplicate detection. Written
 * whole with the delivery it names; swept with retention.
 */
export function createEventIdIndex(store: KeyValueStore) {
  const recent = new Map<string, string>();

  function remember(key: string, deliveryId: string): void {
    recent.set(key, deliveryId);
    if (recent.size > MEMORY_LIMIT) recent.delete(recent.keys().next().value!);
  }

  return {
    /** The earlier delivery with this event id, or undefined (and this one becomes the first). */
    async claim(endpointId: string, eventId: string, deliveryId: string): Promise<{ duplicateOf?: string; entry?: [string, string] }> {
      const key = keys.eventId(endpointId, hashOf(eventId));
      const known = recent.get(key) ?? (await store.get(key));
      if (typeof known === 'string' && known !== deliveryId) return { duplicateOf: known };
      remember(key, deliveryId);
      return { entry: [key, deliveryId] };
    },

    /** Drops ids whose first delivery is older than the retention window. */
    async sweep(endpointId: string, floorMs: number): Promise<void> {
      const old = (await store.scan(keys.eventIds(endpointId))).filter((entry) => typeof entry.value === 'string' && deliveryIdTime(entry.value) < floorMs);
      if (old.length > 0) await store.write({ delete: old.map((entry) => entry.key) });
      for (const entry of old) recent.delete(entry.key);
    },
  };
}
