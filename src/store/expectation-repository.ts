import { expectationSchema, type Expectation } from '../domain/expectation.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';
import { createAgenda, type AgendaItem } from './create-agenda.ts';

/** A stored "look at this endpoint at `at`". */
export type SilenceCheck = AgendaItem;

export type ExpectationRepository = ReturnType<typeof createExpectationRepository>;

/**
 * Expectations and the scheduler's agenda. A check may come early (it then reschedules itself) but
 * never late, so deliveries never write here: the receiver's hot path stays as it was.
 */
export function createExpectationRepository(store: KeyValueStore) {
  return {
    ...createAgenda(store, keys.silenceChecks, keys.silenceCheck),

    async get(endpointId: string): Promise<Expectation | undefined> {
      const value = await store.get(keys.expectation(endpointId));
      return value === undefined ? undefined : expectationSchema.parse(value);
    },

    /** Several at once, in order (the scheduler reads a batch of due checks' expectations in one query). */
    async getMany(endpointIds: string[]): Promise<Array<Expectation | undefined>> {
      const values = await store.getMany(endpointIds.map(keys.expectation));
      return values.map((value) => (value === undefined ? undefined : expectationSchema.parse(value)));
    },

    /**
     * Sets it with its first check: a fixed gap counts from `since` at the earliest, so that is when it can
     * first be passed; a learned one is looked at once at the next tick.
     */
    async set(endpointId: string, expectation: Expectation): Promise<void> {
      const firstCheck = expectation.mode === 'every' ? expectation.since + expectation.everyMs : expectation.since;
      await store.write({ set: [[keys.expectation(endpointId), expectation], [keys.silenceCheck(firstCheck, endpointId), endpointId]] });
    },

    /** Its checks still in the agenda find no expectation and drop themselves. */
    async clear(endpointId: string): Promise<void> {
      await store.write({ delete: [keys.expectation(endpointId)] });
    },
  };
}
