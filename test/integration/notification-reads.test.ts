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
});
