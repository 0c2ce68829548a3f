import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/channels/index.ts';
import type { Message } from '../../src/domain/message.ts';
import { KV_TABLE } from '../../src/store/migrate-postgres.ts';
import { createPostgresStore } from '../../src/store/postgres-store.ts';
import { startDiscordFake } from '../fakes/discord-fake.ts';
import { startSlackFake } from '../fakes/slack-fake.ts';
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

  /** Two services with the registry's channels: the first leads when the second starts. */
  async function twoServicesWithPlatforms(env: Record<string, string>, leading: () => boolean): Promise<string> {
    const databaseUrl = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: databaseUrl, ...env });
    const first = await startTestService(config, createChannels, { leaderTryEveryMs: 100 });
    running.unshift(first);
    await expect.poll(leading, { timeout: 10_000 }).toBe(true);
    running.unshift(await startTestService(config, createChannels, { leaderTryEveryMs: 100 }));
    return databaseUrl;
  }

  it('hand the Discord gateway session back and forth as leadership moves, one session at a time', async () => {
    const discord = await startDiscordFake();
    try {
      const databaseUrl = await twoServicesWithPlatforms({ DISCORD_BOT_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId }, () => discord.gatewayConnected);
      // Held by the second, the first, the second: the first leads twice, so it stops its session twice.
      for (const identifies of [2, 3, 4]) {
        expect(await cutLeadersConnection(databaseUrl)).toBe(1);
        await discord.waitFor(() => (discord.identifies === identifies && discord.openSessions === 1 ? true : undefined), 10_000, `session ${identifies} alone`);
      }
      const { interactionId } = discord.slashCommand({ name: 'hook', subcommand: 'new', options: { name: 'back' } });
      expect(JSON.stringify((await discord.waitForCallback(interactionId)).data)).toContain('Endpoint back created');
    } finally {
      for (const service of running.splice(0)) await service.stop();
      await discord.stop();
    }
  });

  it('hand the Slack socket back and forth as leadership moves, one socket at a time', async () => {
    const slack = await startSlackFake();
    const opened = () => slack.calls.filter((call) => call.method === 'apps.connections.open').length;
    try {
      const env = { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl, SLACK_APP_TOKEN: slack.appToken };
      const databaseUrl = await twoServicesWithPlatforms(env, () => slack.socket.connected > 0);
      for (const opens of [2, 3, 4]) {
        expect(await cutLeadersConnection(databaseUrl)).toBe(1);
        await expect.poll(() => [opened(), slack.socket.connected], { timeout: 10_000 }).toEqual([opens, 1]);
      }
      const { responseId } = await slack.socketSlashCommand({ text: 'new back', channelId: 'C0HOOKS0001' });
      await slack.waitForResponse(1);
      expect(slack.responses(responseId)[0]?.text).toBe('Endpoint back created');
    } finally {
      for (const service of running.splice(0)) await service.stop();
      await slack.stop();
    }
  });
});
