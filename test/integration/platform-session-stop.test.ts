import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/channels/channel.ts';
import { createChannels } from '../../src/channels/index.ts';
import { startDiscordFake } from '../fakes/discord-fake.ts';
import { startSlackFake } from '../fakes/slack-fake.ts';
import { startTelegramFake } from '../fakes/telegram-fake.ts';
import { startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

/** The service with the registry's channels (so it starts them, leading alone on SQLite) and its one platform channel. */
async function serviceWithChannel(env: Record<string, string>): Promise<{ service: TestService; channel: Channel }> {
  let channels: Channel[] = [];
  const service = await startTestService(testConfig(env), async (deps) => (channels = await createChannels(deps)));
  return { service, channel: channels[0]! };
}

describe('a platform session stopped while it is starting (leadership lost just after it was gained)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('leaves no Discord gateway session open, and starts again', async () => {
    const discord = await startDiscordFake();
    cleanups.push(() => discord.stop());
    const { service, channel } = await serviceWithChannel({ DISCORD_BOT_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId });
    cleanups.push(() => service.stop());
    await discord.waitFor(() => (discord.commands.guild.length > 0 ? true : undefined), 10_000, '/hook registered by the first session');
    await channel.stop();

    await channel.start();
    await channel.stop();
    // The login that was under way identified; its session must not stay open.
    await discord.waitFor(() => (discord.identifies === 2 && discord.openSessions === 0 ? true : undefined), 10_000, 'the second session identified and closed');

    await channel.start();
    await discord.waitFor(() => (discord.gatewayConnected ? true : undefined), 10_000, 'the third session');
    const { interactionId } = discord.slashCommand({ name: 'hook', subcommand: 'new', options: { name: 'again' } });
    expect(JSON.stringify((await discord.waitForCallback(interactionId, 10_000)).data)).toContain('Endpoint again created');
    expect(discord.openSessions).toBe(1);
  });

  it('leaves no Slack socket open, and starts again', async () => {
    const slack = await startSlackFake();
    cleanups.push(() => slack.stop());
    const opened = () => slack.calls.filter((call) => call.method === 'apps.connections.open').length;
    const { service, channel } = await serviceWithChannel({ SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl, SLACK_APP_TOKEN: slack.appToken });
    cleanups.push(() => service.stop());
    await expect.poll(() => slack.socket.connected, { timeout: 10_000 }).toBe(1);
    await channel.stop();

    await channel.start();
    await channel.stop();
    // The start that was under way opened a socket; it must not stay open.
    await expect.poll(() => [opened(), slack.socket.connected], { timeout: 10_000 }).toEqual([2, 0]);

    await channel.start();
    await expect.poll(() => slack.socket.connected, { timeout: 10_000 }).toBe(1);
    const { responseId } = await slack.socketSlashCommand({ text: 'new again', channelId: 'C0HOOKS0001' });
    await slack.waitForResponse(1);
    expect(slack.responses(responseId)[0]?.text).toBe('Endpoint again created');
  });

  it('leaves no Telegram long polling running, and starts again', async () => {
    const telegram = await startTelegramFake();
    cleanups.push(() => telegram.stop());
    /** Calls of `method` the fake received (a held getUpdates has no answer yet). */
    const count = (method: string) => telegram.calls.filter((call) => call.method === method).length;
    const { service, channel } = await serviceWithChannel({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot });
    cleanups.push(() => service.stop());
    await expect.poll(() => count('getUpdates'), { timeout: 10_000 }).toBeGreaterThan(0);
    await channel.stop();

    await channel.start();
    await channel.stop();
    // The start under way registers the commands; after that it must not begin polling (it used to: deleteWebhook, then getUpdates).
    await expect.poll(() => count('setMyCommands'), { timeout: 10_000 }).toBe(2);
    const polls = count('getUpdates');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([count('deleteWebhook'), count('getUpdates')]).toEqual([1, polls]);

    await channel.start();
    await expect.poll(() => count('deleteWebhook'), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => count('getUpdates'), { timeout: 10_000 }).toBeGreaterThan(polls);
  });
});
