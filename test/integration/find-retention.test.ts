import KeyvSqlite from '@keyv/sqlite';
import { describe, expect, it, vi } from 'vitest';
import { startRelayTarget } from '../fakes/relay-target.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService } from '../helpers/start-test-service.ts';
import { openTestStore, storeKinds, testConfigOn } from '../helpers/test-stores.ts';

/** Rows under a key prefix left in the database, read beside the service as another process would. */
async function rowsUnder(databaseUrl: string, prefix: string): Promise<number> {
  const store = await openTestStore(databaseUrl);
  const rows = await store.count(prefix);
  await store.close();
  return rows;
}

const findRows = (databaseUrl: string) => rowsUnder(databaseUrl, 'find:');

/** Documents in SQLite's words index (PostgreSQL keeps a row's words in the row, so they go with it). */
async function indexedWordRows(databaseUrl: string): Promise<number> {
  const adapter = new KeyvSqlite({ uri: databaseUrl });
  const [row] = (await adapter.query('SELECT count(*) AS n FROM keyv_words_docsize')) as Array<{ n: number }>;
  await adapter.disconnect();
  return row!.n;
}

describe.each(storeKinds)('what find searches goes with the deliveries, on %s', (kind) => {
  it('is trimmed by retention with the deliveries it describes', async () => {
    const config = await testConfigOn(kind, { RETENTION_DELIVERIES: '3' });
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new busy'));
    for (let i = 0; i < 5; i++) await fetch(url, { method: 'POST', body: `same words ${i}` });
    await expect.poll(async () => (await say(service, 'find same words')).title, { timeout: 5000 }).toBe('3 deliveries match same words (all endpoints)');
    expect(await findRows(config.DATABASE_URL)).toBe(3);
    if (kind === 'sqlite') expect(await indexedWordRows(config.DATABASE_URL)).toBe(3);
    await service.stop();
  });

  it('names no failed relay of a delivery retention removed, and neither do the relays\' own records', async () => {
    const target = await startRelayTarget(() => ({ status: 400 }));
    const config = await testConfigOn(kind, { RETENTION_DELIVERIES: '3', FORWARD_ALLOW_PRIVATE: 'true' });
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new busy'));
    await say(service, `forward busy ${target.url}`);
    const settled = () => vi.waitFor(async () => expect(await rowsUnder(config.DATABASE_URL, 'relay:')).toBe(0), { timeout: 5000, interval: 20 });
    for (let i = 0; i < 5; i++) await fetch(url, { method: 'POST', body: `refused ${i}` });
    await settled();
    // One more marks the endpoint for a trim after every relay before it settled.
    await fetch(url, { method: 'POST', body: 'refused 5' });
    await settled();

    await expect.poll(() => rowsUnder(config.DATABASE_URL, 'relay-try:'), { timeout: 5000 }).toBe(3);
    expect(await rowsUnder(config.DATABASE_URL, 'relay-failed:')).toBe(3);
    expect((await say(service, 'find status:failed')).title).toBe('3 deliveries match status:failed (all endpoints)');
    expect((await say(service, 'replay busy failed')).title).toBe('busy: replayed 3 failed relays');
    await service.stop();
    await target.close();
  });

  it('is removed when its endpoint is deleted', async () => {
    const config = await testConfigOn(kind);
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new gone'));
    for (let i = 0; i < 3; i++) await fetch(url, { method: 'POST', body: `x${i}` });
    expect(await findRows(config.DATABASE_URL)).toBe(3);
    if (kind === 'sqlite') expect(await indexedWordRows(config.DATABASE_URL)).toBe(3);
    await say(service, 'delete gone confirm');
    expect(await findRows(config.DATABASE_URL)).toBe(0);
    if (kind === 'sqlite') expect(await indexedWordRows(config.DATABASE_URL)).toBe(0);
    await service.stop();
  });
});
