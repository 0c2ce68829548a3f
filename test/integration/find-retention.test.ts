import { describe, expect, it } from 'vitest';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService } from '../helpers/start-test-service.ts';
import { openTestStore, storeKinds, testConfigOn } from '../helpers/test-stores.ts';

/** Find entries left in the database, read beside the service as another process would. */
async function findRows(databaseUrl: string): Promise<number> {
  const store = await openTestStore(databaseUrl);
  const rows = await store.count('find:');
  await store.close();
  return rows;
}

describe.each(storeKinds)('what find searches goes with the deliveries, on %s', (kind) => {
  it('is trimmed by retention with the deliveries it describes', async () => {
    const config = await testConfigOn(kind, { RETENTION_DELIVERIES: '3' });
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new busy'));
    for (let i = 0; i < 5; i++) await fetch(url, { method: 'POST', body: `same words ${i}` });
    await expect.poll(async () => (await say(service, 'find same words')).title, { timeout: 5000 }).toBe('3 deliveries match same words (all endpoints)');
    expect(await findRows(config.DATABASE_URL)).toBe(3);
    await service.stop();
  });

  it('is removed when its endpoint is deleted', async () => {
    const config = await testConfigOn(kind);
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new gone'));
    for (let i = 0; i < 3; i++) await fetch(url, { method: 'POST', body: `x${i}` });
    expect(await findRows(config.DATABASE_URL)).toBe(3);
    await say(service, 'delete gone confirm');
    expect(await findRows(config.DATABASE_URL)).toBe(0);
    await service.stop();
  });
});
