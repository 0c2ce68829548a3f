import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { createPostgresStore } from '../../src/store/postgres-store.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/postgres-database.ts';

describe.skipIf(!testPostgresUrl)('two postgres stores on one database, as two processes have', () => {
  const opened: KeyValueStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('commit batches that touch the same keys in opposite orders without a deadlock', async () => {
    const url = await createTestDatabase();
    const [one, two] = [await createPostgresStore(url), await createPostgresStore(url)];
    opened.push(one, two);
    await Promise.all([one.ping(), two.ping()]);
    // Each write its own commit (one after another per store), every one adding to 400 count keys (new ones each
    // round, as an endpoint's first deliveries do) and setting as many: one store in order, the other in
    // reverse, as deliveries to the same endpoints through two processes may.
    const keysOf = (round: number) => Array.from({ length: 400 }, (_, i) => `count:delivery:e${i}:${round}`);
    const writes = async (store: KeyValueStore, reversed: boolean) => {
      for (let round = 0; round < 30; round++) {
        const keys = reversed ? keysOf(round).reverse() : keysOf(round);
        await store.write({ add: keys.map((key): [string, number] => [key, 1]), set: keys.map((key): [string, unknown] => [`${key}:last`, round]) });
      }
    };
    const outcomes = await Promise.allSettled([writes(one, false), writes(two, true)]);
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'ok'))).toEqual(['ok', 'ok']);
    expect(await one.getMany(keysOf(29))).toEqual(keysOf(29).map(() => 2));
  });
});
