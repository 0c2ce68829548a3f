import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig } from '../helpers/start-test-service.ts';

/** The real store, noting each key read one by one. */
function watchingReads(reads: string[]) {
  return async (databaseUrl: string): Promise<KeyValueStore> => {
    const store = await openStore(databaseUrl);
    return {
      ...store,
      get: (key) => (reads.push(key), store.get(key)),
      getMany: (keys) => (reads.push(...keys), store.getMany(keys)),
    };
  };
}

/** The real store, counting its reads (one statement each) apart from the statements of its writes. */
function countingReads(counted: { store?: KeyValueStore; reads: number }) {
  return async (databaseUrl: string): Promise<KeyValueStore> => {
    const store = await openStore(databaseUrl);
    const read = <T>(result: Promise<T>) => ((counted.reads += 1), result);
    counted.store = {
      ...store,
      get: (key) => read(store.get(key)),
      getMany: (keys) => read(store.getMany(keys)),
      scan: (prefix, options) => read(store.scan(prefix, options)),
      count: (prefix) => read(store.count(prefix)),
      search: (prefixes, options) => read(store.search(prefixes, options)),
    };
    return counted.store;
  };
}

describe('notifying a delivery this process just stored', () => {
  it('reads neither the delivery nor its endpoint back from the store', async () => {
    const reads: string[] = [];
    const recorder = createRecordingChannel();
    const service = await startTestService(testConfig(), [recorder.channel], { openStore: watchingReads(reads) });
    const url = localUrl(service, await say(service, 'new stripe'));
    reads.length = 0;
    for (let i = 0; i < 5; i++) {
      await postFixture(url, fixtureNamed('stripe'));
      await recorder.waitFor(i + 1);
    }
    await service.stop();

    expect(recorder.sent.map(({ message }) => message.code?.content)).toEqual(Array.from({ length: 5 }, () => expect.stringContaining('"payment_intent.succeeded"')));
    expect(reads.filter((key) => key.startsWith('delivery:') || key.startsWith('endpoint:'))).toEqual([]);
  });

  it('writes the delivery, its mark before sending and its removal after in one statement each, for a chat without a pace', async () => {
    const counted: { store?: KeyValueStore; reads: number } = { reads: 0 };
    const recorder = createRecordingChannel();
    const service = await startTestService(testConfig(), [recorder.channel], { openStore: countingReads(counted) });
    const store = counted.store!;
    const url = localUrl(service, await say(service, 'new stripe'));
    const deliveries = 10;
    const [statementsBefore, readsBefore] = [store.statements(), counted.reads];
    for (let i = 0; i < deliveries; i++) {
      await postFixture(url, fixtureNamed('stripe'));
      await recorder.waitFor(i + 1);
      // One at a time: the next delivery's write cannot share a commit with this one's removal.
      while ((await store.count('outbox:')) > 0) await sleep(5);
    }
    const writeStatements = store.statements() - statementsBefore - (counted.reads - readsBefore);
    await service.stop();

    expect(recorder.sent).toHaveLength(deliveries);
    expect(writeStatements).toBeLessThanOrEqual(3 * deliveries);
  });
});
