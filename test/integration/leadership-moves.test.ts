import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.ts';
import { KV_TABLE } from '../../src/store/migrate-postgres.ts';
import { createPostgresStore } from '../../src/store/postgres-store.ts';
import { cutLeadersConnection } from '../helpers/cut-leaders-connection.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/postgres-database.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

const text = (message: Message) => [message.title, ...(message.lines ?? []), ...(message.fields ?? []).map((field) => `${field.label}: ${field.value}`)].join('\n');

describe.skipIf(!testPostgresUrl)('two services on one PostgreSQL database', () => {
  const running: TestService[] = [];
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop();
  });

  it('move the sending to the other and back when the leader\'s connection is cut, stopping and starting it whole', async () => {
    const databaseUrl = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: databaseUrl });
    const chats = [createRecordingChannel(), createRecordingChannel()];
    const first = await startTestService(config, [chats[0]!.channel], { leaderTryEveryMs: 100 });
    const second = await startTestService(config, [chats[1]!.channel], { leaderTryEveryMs: 100 });
    running.push(second, first);
    const path = new URL(localUrl(first, await say(first, 'new moving'))).pathname;

    /** Posts to one service; resolves with the chat (by index) whose process told it. */
    async function toldBy(via: TestService): Promise<number> {
      const { id } = (await (await fetch(`${via.url}${path}`, { method: 'POST', body: '{}' })).json()) as { id: string };
      const teller = () => chats.findIndex((chat) => chat.sent.some((sent) => text(sent.message).includes(id)));
      await expect.poll(teller, { timeout: 10_000 }).not.toBe(-1);
      return teller();
    }

    // The first started leads: what the second stores, the first tells.
    expect(await toldBy(second)).toBe(0);
    expect(await cutLeadersConnection(databaseUrl)).toBe(1);
    await expect.poll(() => toldBy(first), { timeout: 10_000 }).toBe(1);
    expect(await cutLeadersConnection(databaseUrl)).toBe(1);
    await expect.poll(() => toldBy(second), { timeout: 10_000 }).toBe(0);
  });

  it('leave nothing of an endpoint deleted through one while the other stores its deliveries', async () => {
    const databaseUrl = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: databaseUrl });
    const first = await startTestService(config, [createRecordingChannel().channel], { leaderTryEveryMs: 100 });
    const second = await startTestService(config, [createRecordingChannel().channel], { leaderTryEveryMs: 100 });
    running.push(second, first);
    const path = new URL(localUrl(first, await say(first, 'new doomed'))).pathname;
    const store = await createPostgresStore(databaseUrl);
    const [endpointKey] = await store.scan('endpoint:', { keysOnly: true });
    const endpointId = endpointKey!.key.slice('endpoint:'.length);

    // Senders keep posting to the second service, before, during and after the delete through the first.
    let sending = true;
    const answers: number[] = [];
    const sender = async () => {
      while (sending) answers.push((await fetch(`${second.url}${path}`, { method: 'POST', body: '{"n":1}' })).status);
    };
    const senders = Array.from({ length: 4 }, sender);
    let afterDelete: number;
    try {
      await expect.poll(() => answers.filter((status) => status === 200).length).toBeGreaterThan(20);
      expect(text(await say(first, 'delete doomed confirm'))).toMatch(/deleted/i);
      afterDelete = answers.length;
      await expect.poll(() => answers.length - afterDelete).toBeGreaterThan(20);
    } finally {
      sending = false;
      await Promise.all(senders);
    }
    // Once the delete answered, the other service takes none of the endpoint's deliveries any more.
    expect(answers.slice(afterDelete).filter((status) => status !== 404)).toEqual([]);

    await store.close();
    // Every row naming the endpoint, in its key or its value (an outbox entry names it in its value).
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT key FROM ${KV_TABLE} WHERE key LIKE $1 OR value::text LIKE $1`, [`%${endpointId}%`]);
    await client.end();
    expect(rows).toEqual([]);
  });
});
