import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, Client, DiscordAPIError, EmbedBuilder, Events,
  GatewayIntentBits, MessageFlags, Routes, SlashCommandBuilder, type Interaction, type TextChannel,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startDiscordFake, type DiscordFake } from './discord-fake.ts';

let fake: DiscordFake;
let client: Client;
let handler: (interaction: Interaction) => Promise<unknown> = async () => undefined;
const handlerErrors: unknown[] = [];

/** The DiscordAPIError a call fails with (fails the test if it succeeds). */
async function apiError(call: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await call.then(() => new Error('expected the call to fail'), (e: unknown) => e);
  expect(error).toBeInstanceOf(DiscordAPIError);
  return error as DiscordAPIError;
}

const channel = (id = fake.channelId) => client.channels.cache.get(id) as TextChannel;
/** `#alerts-2` and `#alerts-3`, beside the default `#alerts`. */
const EXTRA_CHANNELS = ['1300000000000000013', '1300000000000000023'];

const hookCommand = new SlashCommandBuilder()
  .setName('hook')
  .setDescription('Webhook deliveries')
  .addSubcommand((s) => s.setName('last').setDescription('Last deliveries')
    .addIntegerOption((o) => o.setName('count').setDescription('How many').setRequired(true)))
  .addSubcommand((s) => s.setName('search').setDescription('Search deliveries')
    .addStringOption((o) => o.setName('query').setDescription('Source').setAutocomplete(true)));

/** Sockets/servers open before the fake starts (the test runner's own), to compare against at the end. */
let baselineNet: string[] = [];
const netResources = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').sort();

beforeAll(async () => {
  baselineNet = netResources();
  fake = await startDiscordFake({ extraChannelIds: EXTRA_CHANNELS });
  client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiUrl, retries: 1, timeout: 5000 },
    allowedMentions: { parse: [], repliedUser: false },
    waitGuildTimeout: 1000,
    // @discordjs/ws spaces IDENTIFYs 5-6.5 s apart (max_concurrency 1); skip that for the re-identify test.
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) },
  });
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => handlerErrors.push(error));
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
});

afterEach(() => {
  expect(handlerErrors).toEqual([]);
  handler = async () => undefined;
});

afterAll(async () => {
  await client?.destroy();
  expect(fake.internalErrors).toEqual([]);
  await fake.stop();
  // client.destroy() + fake.stop() leave nothing open (handles close on the next loop turns; the peer's FIN too).
  for (let i = 0; i < 50 && netResources().length > baselineNet.length; i++) await new Promise((r) => setTimeout(r, 10));
  expect(netResources()).toEqual(baselineNet);
});

describe('discord.js against the Discord fake', () => {
  it('logs in: /gateway/bot, IDENTIFY, READY and GUILD_CREATE fill the caches', async () => {
    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.user?.bot).toBe(true);
    expect(fake.identifies).toBe(1);
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/gateway/bot')).toBe(true);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.roles.everyone.id).toBe(fake.guildId);
    expect(channel().isTextBased()).toBe(true);
    expect(channel().name).toBe('alerts');
    expect(client.application?.id).toBe(fake.applicationId);
    expect((await client.application!.fetch()).name).toBe('hookwatch');
    expect((await client.user!.fetch(true)).username).toBe('hookwatch');
  });

  it('registers guild commands (bulk overwrite) and rejects invalid definitions with 50035', async () => {
    const set = await client.application!.commands.set([hookCommand.toJSON()], fake.guildId);
    expect([...set.values()].map((c) => c.name)).toEqual(['hook']);
    expect(fake.commands.guild).toHaveLength(1);
    expect(fake.commands.guild[0]).toMatchObject({ name: 'hook', guild_id: fake.guildId, application_id: fake.applicationId });
    const again = await client.application!.commands.set([hookCommand.toJSON()], fake.guildId);
    expect(again.first()?.id).toBe(fake.commands.guild[0]?.id); // same name keeps its id

    const error = await apiError(client.application!.commands.set([{ name: 'Bad Name', description: 'x' }], fake.guildId));
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({ errors: { 0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } } } });
    expect(fake.commands.guild[0]?.name).toBe('hook');
  });

  it('a slash command is answered with interaction.reply, then an ephemeral reply', async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      const count = i.options.getInteger('count', true);
      if (count === 1) await i.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
      else await i.reply(`last ${count} via ${i.options.getSubcommand()} by ${i.user.username} @everyone`);
    };
    const first = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 3 } });
    const callback = await fake.waitForCallback(first.interactionId);
    expect(callback.type).toBe(4);
    expect(callback.data).toMatchObject({ content: 'last 3 via last by alice @everyone', allowed_mentions: { parse: [] } });
    expect(fake.wouldPing(callback.data)).toBe(false);
    expect(fake.replies(first.interactionId)[0]?.flags).toBe(0);

    const second = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 1 } });
    const ephemeral = await fake.waitForCallback(second.interactionId);
    expect(ephemeral.data).toMatchObject({ content: 'only you', flags: 64 });

    // A second answer to the same interaction, and an unknown one, fail like Discord.
    const body = { type: 4, data: { content: 'again' } };
    const used = await apiError(client.rest.post(Routes.interactionCallback(first.interactionId, first.token), { body, auth: false }));
    expect([used.status, used.code]).toEqual([400, 40060]);
    const unknown = await apiError(client.rest.post(Routes.interactionCallback('1', 'nope'), { body, auth: false }));
    expect([unknown.status, unknown.code]).toEqual([404, 10062]);
    expect(() => fake.slashCommand({ name: 'hook', subcommand: 'last', options: { nope: 1 } })).toThrow(/no option "nope"/);

    // Past Discord's 3 s deadline the interaction is gone.
    const late: unknown[] = [];
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply('too late').catch((error: unknown) => late.push(error));
    };
    const third = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 2 } });
    fake.rest.interactions.get(third.interactionId)!.createdAt -= 3500;
    await fake.waitFor(() => late[0]);
    expect(late[0]).toBeInstanceOf(DiscordAPIError);
    expect((late[0] as DiscordAPIError).code).toBe(10062);
  });

  it('deferReply + editReply + ephemeral followUp; autocomplete answers type 8', async () => {
    handler = async (i) => {
      if (i.isAutocomplete()) return i.respond([{ name: `${i.options.getFocused()}ments`, value: 'payments' }]);
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ content: 'done', embeds: [new EmbedBuilder().setTitle('3 deliveries')] });
      await i.followUp({ content: 'details', flags: MessageFlags.Ephemeral,
        files: [new AttachmentBuilder(Buffer.from('a,b\n1,2\n'), { name: 'deliveries.csv' })] });
    };
    const { interactionId, token } = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 5 } });
    const followups = await fake.waitForFollowups(2, token);
    expect(fake.callbacks(interactionId).map((c) => c.type)).toEqual([5]);
    expect(followups.map((f) => f.kind)).toEqual(['edit', 'followup']);
    expect(followups[0]?.target).toBe('@original');
    const [original, extra] = fake.replies(interactionId);
    expect(original?.content).toBe('done');
    expect(original?.flags).toBe(0); // no longer "thinking…"
    expect(original?.embeds[0]).toMatchObject({ type: 'rich', title: '3 deliveries' });
    expect(extra?.flags).toBe(64);
    expect(followups[1]?.files.map((f) => [f.filename, f.bytes.toString()])).toEqual([['deliveries.csv', 'a,b\n1,2\n']]);

    const auto = fake.autocomplete({ name: 'hook', subcommand: 'search', options: { query: 'pay' }, focused: 'query' });
    const answer = await fake.waitForCallback(auto.interactionId);
    expect(answer).toMatchObject({ type: 8, data: { choices: [{ name: 'payments', value: 'payments' }] } });
  });

  it('channel.send with an embed, a button and an attachment; the button press gets an ephemeral reply', async () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4000)]);
    const sent = await channel().send({
      content: 'Delivery failed',
      embeds: [new EmbedBuilder().setTitle('500 from /hooks/github').setDescription('body below')
        .addFields({ name: 'status', value: '500' })],
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('retry:42').setLabel('Retry').setStyle(ButtonStyle.Primary))],
      files: [new AttachmentBuilder(bytes, { name: 'payload.bin' })],
    });
    const [stored] = await fake.waitForMessages(1, fake.channelId);
    expect(stored?.id).toBe(sent.id);
    expect(stored?.files[0]?.filename).toBe('payload.bin');
    expect(stored?.files[0]?.bytes.equals(bytes)).toBe(true);
    expect(stored?.embeds[0]).toMatchObject({ title: '500 from /hooks/github', fields: [{ name: 'status', value: '500' }] });
    expect(stored?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(sent.attachments.first()?.size).toBe(bytes.length);
    const download = await fetch(sent.attachments.first()!.url);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    handler = async (i) => {
      if (i.isButton()) await i.reply({ content: `retrying ${i.customId} (${i.message.id})`, ephemeral: true });
    };
    const press = fake.pressButton({ messageId: sent.id, customId: 'retry:42' });
    const callback = await fake.waitForCallback(press.interactionId);
    expect(callback).toMatchObject({ type: 4, data: { content: `retrying retry:42 (${sent.id})`, flags: 64 } });
    expect(() => fake.pressButton({ messageId: sent.id, customId: 'other' })).toThrow(/no component/);

    handler = async (i) => {
      if (i.isButton()) await i.update({ content: 'Retried', components: [] });
    };
    const again = fake.pressButton({ messageId: sent.id, customId: 'retry:42' });
    expect((await fake.waitForCallback(again.interactionId)).type).toBe(7);
    expect(fake.message(sent.id)).toMatchObject({ content: 'Retried', components: [] });
    expect(fake.message(sent.id)?.message.edited_timestamp).toEqual(expect.any(String));
  });

  it('a 429 is honoured and retried by discord.js', async () => {
    fake.inject429(1, 0.3);
    const before = fake.postTimesOf(fake.channelId).length;
    const started = Date.now();
    await channel().send('after the 429');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(fake.postTimesOf(fake.channelId).length - before).toBe(2);
    const statuses = fake.calls.filter((c) => c.path === `/channels/${fake.channelId}/messages`).slice(-2).map((c) => c.status);
    expect(statuses).toEqual([429, 200]);
    expect(fake.messages().at(-1)?.content).toBe('after the 429');
  });

  it('rejects what Discord rejects: 2001 chars, oversized embeds, empty messages', async () => {
    const long = await apiError(channel().send('x'.repeat(2001)));
    expect([long.status, long.code]).toEqual([400, 50035]);
    expect(long.rawError).toMatchObject({
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
    });
    await channel().send('y'.repeat(2000));

    const route = Routes.channelMessages(fake.channelId);
    const fields = Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    const tooMany = await apiError(client.rest.post(route, { body: { embeds: [{ title: 't', fields }] } }));
    expect(tooMany.rawError).toMatchObject({ errors: { embeds: { 0: { fields: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
    const big = Array.from({ length: 2 }, () => ({ description: 'd'.repeat(3500) }));
    const total = await apiError(client.rest.post(route, { body: { embeds: big } }));
    expect(total.rawError).toMatchObject({ errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
    const rows = Array.from({ length: 6 }, (_, r) => ({ type: 1, components: [{ type: 2, style: 1, label: 'b', custom_id: `c${r}` }] }));
    const tooManyRows = await apiError(client.rest.post(route, { body: { content: 'x', components: rows } }));
    expect(tooManyRows.code).toBe(50035);
    const empty = await apiError(client.rest.post(route, { body: {} }));
    expect([empty.status, empty.code, empty.message]).toEqual([400, 50006, 'Cannot send an empty message']);
  });

  it('wouldPing: false with allowed_mentions parse [], true without allowed_mentions', async () => {
    await channel().send('@everyone the <@123456789012345678> hook is down');
    expect(fake.wouldPing(fake.messages().at(-1))).toBe(false);
    await client.rest.post(Routes.channelMessages(fake.channelId), { body: { content: '@here raw' } });
    expect(fake.wouldPing(fake.messages().at(-1))).toBe(true);
    expect(fake.wouldPing({ content: 'no mentions here' })).toBe(false);
  });

  it('has several text channels: in GUILD_CREATE, each takes messages and interactions, unknown ids are 404 10003', async () => {
    expect(fake.channelIds.map((id) => channel(id).name)).toEqual(['alerts', 'alerts-2', 'alerts-3']);
    const [second, third] = EXTRA_CHANNELS as [string, string];
    const sent = await channel(third).send('into #alerts-3');
    expect(fake.messages(third).map((m) => m.id)).toEqual([sent.id]);
    expect(fake.postTimesOf(third)).toHaveLength(1);
    expect((await client.channels.fetch(second, { force: true }) as TextChannel).name).toBe('alerts-2');
    const unknown = await apiError(client.rest.post(Routes.channelMessages('1300000000000000099'), { body: { content: 'x' } }));
    expect([unknown.status, unknown.code]).toEqual([404, 10003]);

    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply(`in #${(i.channel as TextChannel).name}`);
    };
    const { interactionId } = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 2 }, channelId: second });
    expect((await fake.waitForCallback(interactionId)).data).toMatchObject({ content: 'in #alerts-2' });
    expect(fake.replies(interactionId)[0]?.channelId).toBe(second);
  });

  it('a dropped gateway connection is resumed and missed events are replayed', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply('after resume');
    };
    const resumed = once(client, Events.ShardResume);
    expect(fake.dropGateway(4000)).toBe(1);
    const missed = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 2 } }); // while disconnected
    const [, replayed] = (await resumed) as [number, number];
    expect(replayed).toBe(1);
    expect(fake.gatewayLog.sent.filter((d) => d.replay).map((d) => d.t)).toEqual(['INTERACTION_CREATE']);
    expect([fake.identifies, fake.resumes]).toEqual([1, 1]);
    expect((await fake.waitForCallback(missed.interactionId)).data).toMatchObject({ content: 'after resume' });
    expect(fake.gatewayConnected).toBe(true);
  });

  it('refuses a wrong token: 401 on REST (login fails), close 4004 on IDENTIFY', async () => {
    const bad = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl, retries: 1 } });
    await expect(bad.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    await bad.destroy();
    expect(fake.calls.at(-1)).toMatchObject({ path: '/gateway/bot', status: 401, response: { message: '401: Unauthorized', code: 0 } });

    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const [hello] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(String(hello))).toMatchObject({ op: 10, d: { heartbeat_interval: 41250 } });
    socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('an invalidated session is answered INVALID_SESSION and discord.js identifies again', async () => {
    const [identifies, resumes] = [fake.identifies, fake.resumes];
    fake.dropGateway(4000, { invalidate: true });
    await fake.waitFor(() => (fake.identifies > identifies && fake.gatewayConnected ? true : undefined), 5000, 're-identify');
    expect(fake.resumes).toBe(resumes + 1); // tried to RESUME first, got op 9 d:false
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply('new session');
    };
    await fake.waitFor(() => (client.guilds.cache.get(fake.guildId)?.available ? true : undefined));
    const { interactionId } = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 4 } });
    expect((await fake.waitForCallback(interactionId)).data).toMatchObject({ content: 'new session' });
  });
});
