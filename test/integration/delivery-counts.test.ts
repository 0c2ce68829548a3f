import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, type TestService } from '../helpers/start-test-service.ts';
import { openTestStore, storeKinds, testConfigOn } from '../helpers/test-stores.ts';

const stored = async (service: TestService, name: string) => (await say(service, `show ${name}`)).fields?.find((field) => field.label === 'Stored deliveries')?.value.split(' ')[0];

/** Each `count:` row of the database beside the number of rows it counts. */
async function countsAndRows(config: Config): Promise<Array<[number, number]>> {
  const store = await openTestStore(config.DATABASE_URL);
  const counts = await store.scan('count:');
  const pairs = await Promise.all(counts.map(async (entry): Promise<[number, number]> => [entry.value as number, await store.count(entry.key.slice('count:'.length))]));
  await store.close();
  return pairs;
}

describe.each(storeKinds)('delivery counts on %s', (kind) => {
  it('are kept by ingest and retention, equal to the rows they count', async () => {
    const config = await testConfigOn(kind, { RETENTION_DELIVERIES: '3' });
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const busy = localUrl(service, await say(service, 'new busy'));
    const quiet = localUrl(service, await say(service, 'new quiet'));
    for (let i = 0; i < 8; i++) await fetch(busy, { method: 'POST', body: `n${i}` });
    for (let i = 0; i < 2; i++) await fetch(quiet, { method: 'POST', body: `n${i}` });
    await expect.poll(() => stored(service, 'busy'), { timeout: 5000 }).toBe('3');
    expect(await stored(service, 'quiet')).toBe('2');
    await service.stop();

    expect((await countsAndRows(config)).sort()).toEqual([[2, 2], [3, 3]]);
  });

  it('are taken once at start from the rows of a database written before counts were kept', async () => {
    const config = await testConfigOn(kind);
    const first = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(first, await say(first, 'new older'));
    for (let i = 0; i < 4; i++) await fetch(url, { method: 'POST', body: `n${i}` });
    await first.stop();
    const store = await openTestStore(config.DATABASE_URL);
    await store.deleteRange('count:');
    await store.deleteRange('meta:');
    await store.close();

    const second = await startTestService(config, [createRecordingChannel().channel]);
    expect(await stored(second, 'older')).toBe('4');
    await fetch(second.url + new URL(url).pathname, { method: 'POST', body: 'one more' });
    expect(await stored(second, 'older')).toBe('5');
    await second.stop();
  });
});
