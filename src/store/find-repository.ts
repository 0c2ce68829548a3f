import { deliveryIdFloor } from '../domain/ids.ts';
import { findEntrySchema, type RelayMark } from '../find/find-entry.ts';
import type { FindQuery } from '../find/parse-find-query.ts';
import type { DeliveryRef } from './delivery-repository.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';

export type FindRepository = ReturnType<typeof createFindRepository>;

/** Searches the find entries stored beside deliveries; the store runs the conditions where the data is. */
export function createFindRepository(store: KeyValueStore) {
  return {
    /** The newest `limit` matches across the endpoints, and how many match in all. */
    async search(endpointIds: string[], query: FindQuery, limit: number): Promise<{ found: DeliveryRef[]; total: number }> {
      const options = {
        limit,
        ...(query.sinceMs === undefined ? {} : { from: deliveryIdFloor(query.sinceMs) }),
        ...(query.beforeId === undefined ? {} : { to: query.beforeId }),
      };
      const perEndpoint = await Promise.all(
        endpointIds.map(async (endpointId) => {
          // A path term reads the delivery's body where the entry says it is JSON (`b`) rather than keeping a copy (`j`).
          const where = query.conditions.map((condition) => (condition.kind === 'json' ? { ...condition, body: { flag: 'b', rows: keys.deliveries(endpointId) } } : condition));
          const { keys: found, total } = await store.search(keys.findEntries(endpointId), { ...options, where });
          return { total, found: found.map((key) => ({ endpointId, deliveryId: lastSegment(key) })) };
        }),
      );
      const merged = perEndpoint.flatMap((result) => result.found).sort((a, b) => (a.deliveryId < b.deliveryId ? 1 : -1));
      return { found: merged.slice(0, limit), total: perEndpoint.reduce((sum, result) => sum + result.total, 0) };
    },

    /** Each relay of the deliveries that arrived in [startMs, endMs), as their find entries mark them (stats). */
    async relaysBetween(endpointId: string, startMs: number, endMs: number): Promise<RelayMark[]> {
      const entries = await store.scan(keys.findEntries(endpointId), { from: deliveryIdFloor(startMs), to: deliveryIdFloor(endMs) });
      return entries.flatMap((entry) => Object.values(findEntrySchema.parse(entry.value).r ?? {}));
    },
  };
}
