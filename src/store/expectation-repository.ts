import { expectationSchema, type Expectation } from '../domain/expectation.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';

/** A stored "look at this endpoint at `at`": the scheduler's whole agenda is these keys, in time order. */
export interface SilenceCheck {
  at: number;
  endpointId: string;
}

export type ExpectationRepository = ReturnType<typeof createExpectationRepository>;

/**
 * Expectations and the scheduler's agenda. A check may come early (it then reschedules itself) but
 * never late, so deliveries never write here: the receiver's hot path stays as it was.
 */
export function createExpectationRepository(store: KeyValueStore) {
  return {
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

    /** The earliest checks due by `now`. */
    async due(now: number, limit: number): Promise<SilenceCheck[]> {
      const entries = await store.scan(keys.silenceChecks, { to: String(now + 1).padStart(15, '0'), limit, keysOnly: true });
      return entries.map((entry) => {
        const [at = '0'] = entry.key.slice(keys.silenceChecks.length).split(':');
        return { at: Number(at), endpointId: lastSegment(entry.key) };
      });
    },

    /** Replaces checks by their next ones (`next` undefined: none), in one write. */
    async reschedule(changes: Array<{ check: SilenceCheck; next: number | undefined }>): Promise<void> {
      const set: Array<[string, string]> = [];
      const remove: string[] = [];
      for (const { check, next } of changes) {
        const replaced = keys.silenceCheck(check.at, check.endpointId);
        const following = next === undefined ? undefined : keys.silenceCheck(next, check.endpointId);
        if (following === replaced) continue;
        remove.push(replaced);
        if (following) set.push([following, check.endpointId]);
      }
      if (remove.length > 0) await store.write({ delete: remove, set });
    },
  };
}
