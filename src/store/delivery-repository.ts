import type { ChatRef } from '../domain/chat.ts';
import { rejectionSchema, undeliveredSchema, type Delivery, type Rejection, type Undelivered } from '../domain/delivery.ts';
import { deliveryIdFloor } from '../domain/ids.ts';
import { findEntryFor, type FindEntry, type RelayMark } from '../find/find-entry.ts';
import { markRelays } from '../find/mark-relays.ts';
import { decodeDelivery, encodeDelivery } from './delivery-codec.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';
import { outboxEntryFor, type OutboxEntry } from './outbox-repository.ts';

export interface DeliveryRef {
  endpointId: string;
  deliveryId: string;
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;

export function createDeliveryRepository(store: KeyValueStore) {
  return {
    /**
     * The delivery, what `find` searches of it (its relays to `relayTargets` pending), its notifications
     * and other entries (event-id index, relay jobs) in one atomic write: all exist, or none.
     */
    async add(delivery: Delivery, notify: ChatRef[], indexEntries: Array<[string, unknown]> = [], relayTargets: string[] = []): Promise<void> {
      const notifications = notify.map((chat): [string, OutboxEntry] => [keys.outboxEntry(delivery.id, chat), outboxEntryFor(delivery, chat)]);
      const { entry: searched, words } = findEntryFor(delivery, store.searchesBodies);
      const pending = Object.fromEntries(relayTargets.map((targetId): [string, RelayMark] => [targetId, { s: 'pending' }]));
      const findKey = keys.findEntry(delivery.endpointId, delivery.id);
      const findEntry: [string, FindEntry] = [findKey, relayTargets.length > 0 ? markRelays(searched, pending) : searched];
      await store.write({
        set: [[keys.delivery(delivery.endpointId, delivery.id), encodeDelivery(delivery)], findEntry, ...notifications, ...indexEntries],
        add: [[keys.countOf(keys.deliveries(delivery.endpointId)), 1]],
        words: [[findKey, words]],
      });
    },

    async get(ref: DeliveryRef): Promise<Delivery | undefined> {
      const value = await store.get(keys.delivery(ref.endpointId, ref.deliveryId));
      return value === undefined ? undefined : decodeDelivery(value);
    },

    /** Deliveries of these endpoints whose id starts with `prefix` (at most two each: enough to tell ambiguity). */
    async findByPrefix(endpointIds: string[], prefix: string): Promise<DeliveryRef[]> {
      const found = await Promise.all(
        endpointIds.map(async (endpointId) =>
          (await store.scan(keys.deliveries(endpointId) + prefix, { keysOnly: true, limit: 2 })).map((entry) => ({
            endpointId,
            deliveryId: lastSegment(entry.key),
          })),
        ),
      );
      return found.flat();
    },

    async recent(endpointId: string, limit: number): Promise<Delivery[]> {
      const entries = await store.scan(keys.deliveries(endpointId), { reverse: true, limit });
      return entries.map((entry) => decodeDelivery(entry.value));
    },

    async newestId(endpointId: string): Promise<string | undefined> {
      const [newest] = await store.scan(keys.deliveries(endpointId), { reverse: true, limit: 1, keysOnly: true });
      return newest && lastSegment(newest.key);
    },

    /** Read from the count that ingest and retention keep: the same cost at 300,000 deliveries as at 3. */
    async count(endpointId: string): Promise<number> {
      const count = await store.get(keys.countOf(keys.deliveries(endpointId)));
      return typeof count === 'number' ? count : 0;
    },

    async addRejection(endpointId: string, id: string, rejection: Rejection): Promise<void> {
      await store.write({ set: [[keys.rejection(endpointId, id), rejectionSchema.parse(rejection)]] });
    },

    countRejections: (endpointId: string) => store.count(keys.rejections(endpointId)),

    /** How many of the endpoint's notifications were dropped for good, and the latest (its delivery id and why). */
    async undelivered(endpointId: string): Promise<{ count: number; latest?: Undelivered & { deliveryId: string } }> {
      const [count, [latest]] = await Promise.all([store.count(keys.undeliveredOf(endpointId)), store.scan(keys.undeliveredOf(endpointId), { reverse: true, limit: 1 })]);
      return latest ? { count, latest: { ...undeliveredSchema.parse(latest.value), deliveryId: lastSegment(latest.key) } } : { count };
    },

    /** Deliveries that arrived in [startMs, endMs), oldest first (ids sort by arrival). */
    async between(endpointId: string, startMs: number, endMs: number): Promise<Delivery[]> {
      const entries = await store.scan(keys.deliveries(endpointId), { from: deliveryIdFloor(startMs), to: deliveryIdFloor(endMs) });
      return entries.map((entry) => decodeDelivery(entry.value));
    },

    /** Rejections (413) in [startMs, endMs), oldest first. */
    async rejectionsBetween(endpointId: string, startMs: number, endMs: number): Promise<Rejection[]> {
      const entries = await store.scan(keys.rejections(endpointId), { from: deliveryIdFloor(startMs), to: deliveryIdFloor(endMs) });
      return entries.map((entry) => rejectionSchema.parse(entry.value));
    },

    /** The id of the newest delivery that arrived before `beforeMs`. */
    async lastIdBefore(endpointId: string, beforeMs: number): Promise<string | undefined> {
      const [last] = await store.scan(keys.deliveries(endpointId), { to: deliveryIdFloor(beforeMs), reverse: true, limit: 1, keysOnly: true });
      return last && lastSegment(last.key);
    },
  };
}
