import { deliveryIdFloor } from '../domain/ids.ts';
import type { FindQuery } from '../find/parse-find-query.ts';
import type { DeliveryRef } from './delivery-repository.ts';
import type { KeyValueStore, ScanOptions } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';

export type FindRepository = ReturnType<typeof createFindRepository>;

/** Searches the find entries stored beside deliveries; the store runs the conditions where the data is. */
export function createFindRepository(store: KeyValueStore) {
  return {
    /** The newest `limit` matches across the endpoints, and how many match in all. */
    async search(endpointIds: string[], query: FindQuery, limit: number): Promise<{ found: DeliveryRef[]; total: number }> {
      const range: Pick<ScanOptions, 'from' | 'to' | 'where'> = {
        where: query.conditions,
        ...(query.sinceMs === undefined ? {} : { from: deliveryIdFloor(query.sinceMs) }),
        ...(query.beforeId === undefined ? {} : { to: query.beforeId }),
      };
      const perEndpoint = await Promise.all(
        endpointIds.map(async (endpointId) =>
          (await store.scan(keys.findEntries(endpointId), { ...range, reverse: true, keysOnly: true, limit: limit + 1 })).map((entry) => ({
            endpointId,
            deliveryId: lastSegment(entry.key),
          })),
        ),
      );
      const merged = perEndpoint.flat().sort((a, b) => (a.deliveryId < b.deliveryId ? 1 : -1));
      // Counting reads every match, so only when there is more than one page.
      const total = merged.length <= limit ? merged.length : (await Promise.all(endpointIds.map((id) => store.count(keys.findEntries(id), range)))).reduce((a, b) => a + b, 0);
      return { found: merged.slice(0, limit), total };
    },
  };
}
