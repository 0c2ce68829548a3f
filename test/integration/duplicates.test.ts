import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, recordingLogger, say, startTestService, testConfig } from '../helpers/start-test-service.ts';

const github = fixtureNamed('github');

/** The real store; `watch.reads` notes each key read one by one, `watch.failWrites` makes writes fail. */
function watchedStore(watch: { reads: string[]; failWrites: boolean }) {
  return async (databaseUrl: string): Promise<KeyValueStore> => {
    const store = await openStore(databaseUrl);
    return {
      ...store,
      get: (key) => (watch.reads.push(key), store.get(key)),
      write: (op) => (watch.failWrites ? Promise.reject(new Error('disk full')) : store.write(op)),
    };
  };
}

describe('duplicate deliveries', () => {
  it('are told from memory after a restart: the request reads no event id, and the verdict names the first', async () => {
    const config = testConfig();
    const told = createRecordingChannel();
    const first = await startTestService(config, [told.channel]);
    const url = localUrl(first, await say(first, 'new hooks'));
    const { id: original } = (await (await postFixture(url, github)).json()) as { id: string };
    await told.waitFor(1);
    await first.stop();

    const watch = { reads: [] as string[], failWrites: false };
    const recorder = createRecordingChannel();
    const second = await startTestService(config, [recorder.channel], { openStore: watchedStore(watch) });
    watch.reads.length = 0;
    expect((await postFixture(second.url + new URL(url).pathname, github)).status).toBe(200);
    await recorder.waitFor(1);
    await second.stop();

    expect(watch.reads.filter((key) => key.startsWith('eventid'))).toEqual([]);
    expect(recorder.sent[0]!.message.lines).toContain(`Duplicate of ${original}: the sender delivered this event before.`);
  });

  it('are not claimed by a delivery that could not be stored: it answers 500, logged without its token, and the next copy is the first', async () => {
    const watch = { reads: [] as string[], failWrites: false };
    const { logger, lines } = recordingLogger();
    const recorder = createRecordingChannel();
    const service = await startTestService(testConfig(), [recorder.channel], { openStore: watchedStore(watch), logger });
    const url = localUrl(service, await say(service, 'new hooks'));
    watch.failWrites = true;
    const failed = await postFixture(url, github);
    watch.failWrites = false;
    const stored = await postFixture(url, github);
    await recorder.waitFor(1);
    await service.stop();

    expect([failed.status, await failed.json()]).toEqual([500, { ok: false, error: 'internal error' }]);
    expect(stored.status).toBe(200);
    expect(recorder.sent[0]!.message.lines?.join('\n')).not.toContain('Duplicate of');
    const failure = lines.find((line) => line.msg === 'request failed') as { url?: string } | undefined;
    expect(failure?.url).toBe('/wh/[redacted]');
  });
});
