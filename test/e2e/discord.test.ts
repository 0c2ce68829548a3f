import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { pngHeader } from '../helpers/png-header.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';
import { startDiscordFake, type CallbackRecord, type DiscordFake, type SentMessage } from '../fakes/discord-fake.ts';

const EPHEMERAL = 64;

describe('the Discord bot, with the service as its own process', () => {
  let fake: DiscordFake;
  let service: SpawnedService;
  let env: Record<string, string>;

  /** `/hook <subcommand> option:value …` and the bot's answer to it. */
  async function hook(subcommand: string, options: Record<string, string | number> = {}, channelId?: string, group?: string): Promise<CallbackRecord> {
    const { interactionId } = fake.slashCommand({ name: 'hook', subcommand, options, ...(channelId ? { channelId } : {}), ...(group ? { group } : {}) });
    return fake.waitForCallback(interactionId);
  }

  const embed = (record: { data?: unknown; embeds?: unknown[] }) =>
    ((record as { data?: { embeds?: unknown[] } }).data?.embeds ?? record.embeds ?? [])[0] as { title: string; description?: string; fields?: Array<{ name: string; value: string }>; timestamp?: string; color?: number };
  const urlIn = (record: CallbackRecord) => /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec(JSON.stringify(record.data))![1]!;
  const customId = (message: SentMessage, label: string) =>
    (message.components as Array<{ components: Array<{ label: string; custom_id: string }> }>).flatMap((row) => row.components).find((button) => button.label === label)!.custom_id;

  async function nextMessage(action: () => unknown): Promise<SentMessage> {
    const before = fake.messages(fake.channelId).length;
    await action();
    await fake.waitForMessages(before + 1, fake.channelId);
    return fake.messages(fake.channelId)[before]!;
  }

  async function press(message: SentMessage, label: string): Promise<CallbackRecord> {
    const { interactionId } = fake.pressButton({ messageId: message.id, customId: customId(message, label) });
    return fake.waitForCallback(interactionId);
  }

  beforeAll(async () => {
    fake = await startDiscordFake();
    env = { DATABASE_URL: tempDatabaseUrl(), PORT: String(await freePort()), DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId, DISCORD_ALLOWED_CHATS: fake.channelId };
    service = await spawnService(env);
    await fake.waitFor(() => (fake.commands.guild.length > 0 ? true : undefined), 10_000);
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await fake.stop();
  });

  it('logs in with only the Guilds intent and registers /hook in the guild with a subcommand per command', () => {
    const identify = fake.gatewayLog.received.find((frame) => frame.op === 2);
    expect((identify?.d as { intents?: number } | undefined)?.intents).toBe(1);
    const [command] = fake.commands.guild as unknown as Array<{ name: string; options: Array<{ name: string }> }>;
    expect(command?.name).toBe('hook');
    expect(command?.options.map((option) => option.name)).toContain('mute');
  });

  it('creates an endpoint, posts a delivery as an embed with buttons, and answers Payload privately', async () => {
    const created = await hook('new', { name: 'stripe' });
    expect(created.type).toBe(4);
    expect(embed(created).title).toBe('Endpoint stripe created');
    const fixture = fixtureNamed('stripe');
    const message = await nextMessage(() => postFixture(urlIn(created), fixture));
    const notification = embed(message);
    expect(notification.title).toBe('stripe · POST /');
    expect(notification.description).toMatch(/^Stripe · payment\\_intent\.succeeded/);
    expect(notification.description).toContain('```json\n{');
    expect(notification.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(notification.color).toBeTypeOf('number');
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const payload = await press(message, 'Payload');
    expect((payload.data as { flags?: number }).flags).toBe(EPHEMERAL);
    expect(embed(payload).description).toContain(fixture.body!);
  });

  it('lets no payload ping anyone and escapes its markdown', async () => {
    const created = await hook('new', { name: 'hostile' });
    const message = await nextMessage(() => postFixture(urlIn(created), fixtureNamed('hostile-text')));
    expect(fake.wouldPing(message)).toBe(false);
    expect(fake.internalErrors).toEqual([]);
    expect(fake.calls.filter((call) => (call.status ?? 200) >= 400)).toEqual([]);
  });

  it('offers this channel\'s endpoints as autocomplete', async () => {
    const { interactionId } = fake.autocomplete({ name: 'hook', subcommand: 'mute', options: { endpoint: 'st' }, focused: 'endpoint' });
    const answer = await fake.waitForCallback(interactionId);
    expect(answer.type).toBe(8);
    expect(answer.data).toEqual({ choices: [{ name: 'stripe', value: 'stripe' }] });
  });

  it('answers mistakes and a button whose delivery is gone privately', async () => {
    const unknown = await hook('show', { endpoint: 'strpe' });
    expect((unknown.data as { flags?: number }).flags).toBe(EPHEMERAL);
    expect(embed(unknown).title).toMatch(/^No endpoint named "strpe"/);
    const created = await hook('new', { name: 'doomed' });
    const message = await nextMessage(() => fetch(urlIn(created), { method: 'POST', body: 'bye' }));
    await hook('delete', { endpoint: 'doomed', confirm: 'confirm' });
    const gone = await press(message, 'Headers');
    expect((gone.data as { flags?: number }).flags).toBe(EPHEMERAL);
    expect(embed(gone).title).toMatch(/^No delivery /);
  });

  it('tells a channel outside DISCORD_ALLOWED_CHATS its id, privately', async () => {
    const refused = await hook('list', {}, '999999999999999999');
    expect(refused.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('999999999999999999') });
  });

  it('keeps the receiver working while the gateway reconnects, and resumes', async () => {
    const created = await hook('new', { name: 'steady' });
    const resumesBefore = fake.resumes + fake.identifies;
    fake.dropGateway(4000);
    expect((await fetch(urlIn(created), { method: 'POST', body: 'during the drop' })).status).toBe(200);
    await fake.waitFor(() => (fake.resumes + fake.identifies > resumesBefore ? true : undefined), 10_000);
    expect(embed(await hook('list')).title).toMatch(/^Endpoints \(/);
  });

  it('keeps buttons on old messages working after a restart', async () => {
    const created = await hook('new', { name: 'durable' });
    const fixture = fixtureNamed('github');
    const message = await nextMessage(() => postFixture(urlIn(created), fixture));
    expect(await service.stop('SIGTERM')).toBe(0);
    service = await spawnService(env);
    await fake.waitFor(() => (fake.gatewayConnected ? true : undefined), 10_000);
    const payload = await press(message, 'Payload');
    const file = payload.files[0]?.bytes.toString() ?? '';
    expect(embed(payload).description?.includes(fixtureBytes(fixture).toString()) || file === fixtureBytes(fixture).toString()).toBe(true);
  });

  it('answers stats with the chart attached and shown in the embed', async () => {
    const created = await hook('new', { name: 'charted' });
    await nextMessage(() => postFixture(urlIn(created), fixtureNamed('stripe')));
    const callback = await hook('stats', { endpoint: 'charted' });
    // Drawing the first chart loads its libraries: the answer may come deferred, then as an edit.
    const answer = callback.type === 5 ? (await fake.waitForFollowups(1, callback.token, 10_000))[0]! : callback;
    const body = 'payload' in answer ? answer.payload : answer.data;
    const shown = (body as { embeds: Array<{ title: string; image?: { url: string } }> }).embeds[0]!;
    expect(shown.title).toBe('Stats (charted, last 24h)');
    expect(shown.image?.url).toBe('attachment://stats-24h.png');
    expect(answer.files.map((file) => [file.filename, pngHeader(file.bytes)])).toEqual([['stats-24h.png', { width: 900, height: 450 }]]);
  });

  it('runs a command from the "more" group past Discord\'s 25 subcommands', async () => {
    const callback = await hook('watches', {}, undefined, 'more');
    expect(embed(callback).title).toMatch(/watch/i);
  });
});
