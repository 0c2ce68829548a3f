import KeyvSqlite from '@keyv/sqlite';
import { describe, expect, it } from 'vitest';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig } from '../helpers/start-test-service.ts';

/** Find entries left in the database file, read beside the service as another process would. */
async function findRows(databaseUrl: string): Promise<number> {
  const adapter = new KeyvSqlite({ uri: databaseUrl });
  const [row] = (await adapter.query(`SELECT count(*) AS n FROM keyv WHERE key LIKE 'hw:find:%'`)) as Array<{ n: number }>;
  await adapter.disconnect();
  return row!.n;
}

describe('what find searches goes with the deliveries', () => {
  it('is trimmed by retention with the deliveries it describes', async () => {
    const config = testConfig({ RETENTION_DELIVERIES: '3' });
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new busy'));
    for (let i = 0; i < 5; i++) await fetch(url, { method: 'POST', body: `same words ${i}` });
    await expect.poll(async () => (await say(service, 'find same words')).title, { timeout: 5000 }).toBe('3 deliveries match same words (all endpoints)');
    expect(await findRows(config.DATABASE_URL)).toBe(3);
    await service.stop();
  });

  it('is removed when its endpoint is deleted', async () => {
    const config = testConfig();
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new gone'));
    for (let i = 0; i < 3; i++) await fetch(url, { method: 'POST', body: `x${i}` });
    expect(await findRows(config.DATABASE_URL)).toBe(3);
    await say(service, 'delete gone confirm');
    expect(await findRows(config.DATABASE_URL)).toBe(0);
    await service.stop();
  });
});
