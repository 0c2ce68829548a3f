import { deliveryIdFloor } from '../domain/ids.ts';
import { findEntrySchema, type RelayMark } from '../find/find-entry.ts';
import type { FindQuery } from '../find/parse-find-query.ts';
import type { DeliveryRef } from './delivery-repository.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';

export type FindRepository = ReturnType<typeof createFindRepository>;

/** The endpoint of a find entry's key (`find:<endpoint id>:<delivery id>`). */
const endpointOf = (key: string) => key.slice(keys.allFindEntries.length, key.lastIndexOf(':'));

/** Searches the find entries stored beside deliveries; the store runs the conditions where the data is. */
export function createFindRepository(store: KeyValueStore) {
  return {
    /** The newest `limit` matches across the endpoints, and how many match in all. */
    async search(endpointIds: string[], query: FindQuery, limit: number): Promise<{ found: DeliveryRef[]; total: number }> {
      // A path term reads the delivery's body where the entry says it is JSON (`b`) rather than keeping a copy (`j`).
      const body = { flag: 'b', keyPrefix: keys.allFindEntries, rowsPrefix: keys.allDeliveries };
      const { keys: found, total } = await store.search(endpointIds.map(keys.findEntries), {
        where: query.conditions.map((condition) => (condition.kind === 'json' ? { ...condition, body } : condition)),
        limit,
        ...(query.sinceMs === undefined ? {} : { from: deliveryIdFloor(query.sinceMs) }),
        ...(query.beforeId === undefined ? {} : { to: query.beforeId }),
      });
      return { found: found.map((key) => ({ endpointId: endpointOf(key), deliveryId: lastSegment(key) })), total };
    },

    /** Each relay of the deliveries that arrived in [startMs, endMs), as their find entries mark them (stats). */
    async relaysBetween(endpointId: string, startMs: number, endMs: number): Promise<RelayMark[]> {
      const entries = await store.scan(keys.findEntries(endpointId), { from: deliveryIdFloor(startMs), to: deliveryIdFloor(endMs) });
      return entries.flatMap((entry) => Object.values(findEntrySchema.parse(entry.value).r ?? {}));
    },
  };
}
