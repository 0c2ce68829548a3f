import type { Delivery } from '../domain/delivery.ts';
import { watchSchema, watchStateSchema, type Watch, type WatchState } from '../domain/watch.ts';
import { createAgenda, type AgendaItem } from './create-agenda.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';
import type { OutboxEntry } from './outbox-repository.ts';

/**
 * Told answers indexed per watch (for diffs): more than retention keeps of deliveries by default (500),
 * so an index row outlives its delivery rather than the other way round, yet bounded.
 */
const ANSWERS_INDEXED = 1000;

export type WatchRepository = ReturnType<typeof createWatchRepository>;

/** Watches (commands write them), their pollers' state, the answers they keep, and the polling agenda. */
export function createWatchRepository(store: KeyValueStore) {
  const parse = (value: unknown) => (value === undefined ? undefined : watchSchema.parse(value));
  const parseState = (value: unknown): WatchState => (value === undefined ? { failures: 0 } : watchStateSchema.parse(value));

  return {
    ...createAgenda(store, keys.watchPolls, keys.watchPoll),

    async get(endpointId: string): Promise<Watch | undefined> {
      return parse(await store.get(keys.watch(endpointId)));
    },

    /** Several at once, in order: undefined where there is none. */
    async getMany(endpointIds: string[]): Promise<Array<Watch | undefined>> {
      return (await store.getMany(endpointIds.map(keys.watch))).map(parse);
    },

    async states(endpointIds: string[]): Promise<WatchState[]> {
      return (await store.getMany(endpointIds.map(keys.watchState))).map(parseState);
    },

    /** A changed watch; `pollAt` books a poll (a new watch's first, at once). */
    async save(watch: Watch, pollAt?: number): Promise<void> {
      await store.write({ set: [[keys.watch(watch.endpointId), watch], ...(pollAt === undefined ? [] : [[keys.watchPoll(pollAt, watch.endpointId), watch.endpointId] as [string, string]])] });
    },

    /** The watch and its state; its booked poll finds no watch and drops itself. Its answers stay with the endpoint. */
    async remove(endpointId: string): Promise<void> {
      await store.write({ delete: [keys.watch(endpointId), keys.watchState(endpointId)] });
      await store.deleteRange(keys.watchAnswers(endpointId));
    },

    /**
     * What a poll learnt, its next poll booked in place of the one that ran, and when it told something,
     * the answer as a delivery with its message: one write (with the group commit, one fsync for many polls).
     */
    async record(poll: AgendaItem, next: number, state: WatchState, told?: { delivery: Delivery; message?: OutboxEntry }): Promise<void> {
      const { endpointId } = poll;
      const set: Array<[string, unknown]> = [[keys.watchState(endpointId), state]];
      const ran = keys.watchPoll(poll.at, endpointId);
      const following = keys.watchPoll(next, endpointId);
      if (following !== ran) set.push([following, endpointId]);
      if (told) {
        set.push([keys.delivery(endpointId, told.delivery.id), told.delivery], [keys.watchAnswer(endpointId, told.delivery.id), told.delivery.id]);
        if (told.message) set.push([keys.outboxEntry(told.message.deliveryId, told.message.chat), told.message]);
      }
      await store.write({ set, ...(following === ran ? {} : { delete: [ran] }) });
      if (told) await store.keepNewest(keys.watchAnswers(endpointId), ANSWERS_INDEXED);
    },

    /** The id of the answer told before `deliveryId` (what a change is compared with). */
    async previousAnswer(endpointId: string, deliveryId: string): Promise<string | undefined> {
      const [previous] = await store.scan(keys.watchAnswers(endpointId), { to: deliveryId, reverse: true, limit: 1, keysOnly: true });
      return previous && lastSegment(previous.key);
    },

    /** Whether `deliveryId` is an answer of a watch (the Diff button's command asks). */
    async isAnswer(endpointId: string, deliveryId: string): Promise<boolean> {
      return (await store.get(keys.watchAnswer(endpointId, deliveryId))) !== undefined;
    },
  };
}
