import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';

/**
 * Counts each endpoint's deliveries from their rows, once per database: from then on ingest and
 * retention keep the counts. Run at start, before anything is received, for databases written
 * before counts were kept (a new one is counted at once: it has no deliveries).
 */
export async function takeDeliveryCounts(store: KeyValueStore, endpointIds: string[]): Promise<void> {
  if ((await store.get(keys.countsTaken)) === true) return;
  const counts = await Promise.all(endpointIds.map(async (id): Promise<[string, number]> => [keys.countOf(keys.deliveries(id)), await store.count(keys.deliveries(id))]));
  await store.write({ set: [...counts, [keys.countsTaken, true]] });
}
