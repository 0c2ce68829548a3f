import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';
import { startTelegramFake, type SentRecord, type TelegramFake } from '../fakes/telegram-fake.ts';

const USER = 7001;
const GROUP = -100200300;

describe('the Telegram bot, with the service as its own process', () => {
  let fake: TelegramFake;
  let service: SpawnedService;
  let env: Record<string, string>;

  /** Sends a command as a user and returns the bot's next message to that chat. */
  async function command(chatId: number, text: string, chatType: 'private' | 'group' | 'supergroup' = 'private'): Promise<SentRecord> {
    const before = fake.sent(chatId).length;
    fake.sendUserMessage(chatId, text, { chatType });
    await fake.waitForSent(before + 1, chatId);
    return fake.sent(chatId)[before]!;
  }

  async function nextSent(chatId: number, action: () => unknown): Promise<SentRecord> {
    const before = fake.sent(chatId).length;
    await action();
    await fake.waitForSent(before + 1, chatId);
    return fake.sent(chatId)[before]!;
  }

  const buttonData = (sent: SentRecord, label: string) =>
    sent.replyMarkup?.inline_keyboard.flat().find((button) => button.text === label)?.callback_data ?? 'missing';

  beforeAll(async () => {
    fake = await startTelegramFake();
    env = { DATABASE_URL: tempDatabaseUrl(), PORT: String(await freePort()), TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
    service = await spawnService(env);
    await fake.waitForCall('deleteWebhook');
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await fake.stop();
  });

  it('registers every command with setMyCommands', async () => {
    await fake.waitForCall('setMyCommands');
    expect(fake.commands.map((c) => c.command)).toEqual(['new', 'list', 'show', 'last', 'find', 'stats', 'payload', 'headers', 'curl', 'mute', 'unmute', 'rename', 'secret', 'sample', 'delete', 'digest', 'expect', 'alerts', 'ack', 'forward', 'replay', 'attempts', 'watch', 'watches', 'unwatch', 'diff', 'help']);
  });

  it('creates an endpoint, notifies a delivery in HTML with three buttons, and answers Payload byte-exact', async () => {
    const created = await command(USER, '/new stripe');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    const fixture = fixtureNamed('stripe');
    const notification = await nextSent(USER, () => postFixture(url, fixture));
    expect(notification.parseMode).toBe('HTML');
    expect(notification.text).toMatch(/^📨 stripe · POST \/\nStripe · payment_intent\.succeeded · \$\S+ \S+.* · signed, not verified: set a secret with "secret stripe <secret>"\n/);
    expect(notification.raw).toContain('<pre><code class="language-json">');
    expect(notification.replyMarkup?.inline_keyboard[0]?.map((button) => button.text)).toEqual(['Payload', 'Headers', 'Mute 1h']);

    const payload = await nextSent(USER, () => fake.pressButton(USER, notification.messageId, buttonData(notification, 'Payload')));
    expect(payload.text).toContain(fixture.body!);
    expect(fake.answers().at(-1)?.text).toBeUndefined();
  });

  it('sends a body too long for a message as a document named after the delivery', async () => {
    const created = await command(USER, '/new big');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    const body = JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => ({ i, name: `item <${i}> & co` })) });
    const notification = await nextSent(USER, () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    expect(notification.text).toMatch(/… truncated: [\d,]+ of [\d,]+ characters shown$/);
    const document = await nextSent(USER, () => fake.pressButton(USER, notification.messageId, buttonData(notification, 'Payload')));
    expect(document.kind).toBe('document');
    expect(document.document?.filename).toMatch(/^payload-[0-9a-z]{16}\.json$/);
    expect(document.document?.data.toString()).toBe(body);
  });

  it('renders the hostile fixture escaped, so Telegram parses it', async () => {
    const created = await command(USER, '/new hostile');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    const notification = await nextSent(USER, () => postFixture(url, fixtureNamed('hostile-text')));
    expect(notification.text).toContain('<script>alert(1)</script>');
    expect(notification.text).toContain('@everyone <!channel>');
    expect(fake.calls.filter((call) => call.status === 400)).toEqual([]);
  });

  it('answers an unknown command and a bad argument with the usage line', async () => {
    expect((await command(USER, '/lsit')).text).toBe('⚠️ Unknown command "lsit".\nDid you mean /list? /help lists every command.');
    expect((await command(USER, '/mute')).text).toBe('⚠️ Usage: /mute <endpoint> [duration]\nFor example: /mute stripe 2h');
  });

  it('answers /start, every user\'s first message, with a welcome and the command list', async () => {
    const welcome = (await command(7010, '/start')).text ?? '';
    expect(welcome).toMatch(/^Welcome to hookwatch\nI watch webhook URLs/);
    expect(welcome).toContain('/new [name] — ');
    expect(welcome).toContain('/list [page] — ');
  });

  it('keeps a group\'s endpoints when Telegram upgrades it to a supergroup', async () => {
    const [before, after] = [-4001, -1004001];
    const created = await command(before, '/new upgraded', 'group');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    fake.upgradeToSupergroup(before, after);
    expect((await command(after, '/show upgraded', 'supergroup')).text).toMatch(/^.*Endpoint upgraded/);
    const notification = await nextSent(after, () => fetch(url, { method: 'POST', body: 'after the upgrade' }));
    expect(notification.text).toContain('after the upgrade');
    expect((await command(before, '/list', 'group')).text).toMatch(/No endpoints yet/);
  });

  it('gives a group its own endpoints, also for /command@botname', async () => {
    const created = await command(GROUP, '/new@hookwatch_test_bot github', 'supergroup');
    expect(created.text).toMatch(/^✅ Endpoint github created/);
    expect((await command(USER, '/show github')).text).toMatch(/^⚠️ No endpoint named "github"/);
  });

  it('asks before /delete, and explains a button whose endpoint is gone', async () => {
    const created = await command(USER, '/new doomed');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    const notification = await nextSent(USER, () => fetch(url, { method: 'POST', body: 'bye' }));
    const question = await command(USER, '/delete doomed');
    expect(question.text).toMatch(/^⛔ Delete doomed\?/);
    const done = await nextSent(USER, () => fake.pressButton(USER, question.messageId, buttonData(question, 'Delete doomed')));
    expect(done.text).toMatch(/^✅ doomed deleted/);
    fake.pressButton(USER, notification.messageId, buttonData(notification, 'Headers'));
    const answer = await fake.waitForCall('answerCallbackQuery', (call) => typeof call.payload.text === 'string' && call.payload.text.startsWith('No delivery'));
    expect(answer.payload.show_alert).toBe(true);
  });

  it('retries a notification after a 429 and its retry_after', async () => {
    const created = await command(USER, '/new flood');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    fake.inject429(1, 1);
    const started = Date.now();
    const notification = await nextSent(USER, () => fetch(url, { method: 'POST', body: 'after 429' }));
    expect(notification.text).toContain('after 429');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('sends a notification Telegram refuses as malformed once more in plain form, and then the next delivery', async () => {
    const CHAT = 7004;
    const created = await command(CHAT, '/new refused');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    fake.injectBadRequest(1);
    let id = '';
    const fallback = await nextSent(CHAT, async () => (id = ((await (await fetch(url, { method: 'POST', body: '{"n":1}' })).json()) as { id: string }).id));
    expect(fallback.text).toContain(`refused · delivery ${id}`);
    expect(fallback.text).toContain("Preview unavailable: the chat platform refused it (Bad Request: can't parse entities");
    expect(fallback.text).toContain('Size: 7 B');
    const next = await nextSent(CHAT, () => fetch(url, { method: 'POST', body: '{"n":2}' }));
    expect(next.text).toContain('"n": 2');
  });

  it('drops a notification whose plain form is refused too, goes on with the next, and show tells which and why', async () => {
    const CHAT = 7005;
    const created = await command(CHAT, '/new dropped');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    fake.injectBadRequest(2);
    const { id } = (await (await fetch(url, { method: 'POST', body: '{"n":1}' })).json()) as { id: string };
    const next = await nextSent(CHAT, () => fetch(url, { method: 'POST', body: '{"n":2}' }));
    expect(next.text).toContain('"n": 2');
    const shown = await command(CHAT, '/show dropped');
    expect(shown.text).toContain(`Notifications not delivered: 1; the latest, of ${id}`);
    expect(shown.text).toContain("Bad Request: can't parse entities");
  });

  it('merges a burst to one chat into a summary instead of queueing it, at most one message a second', async () => {
    const BURST_CHAT = 7002;
    const created = await command(BURST_CHAT, '/new burst');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(url, { method: 'POST', body: JSON.stringify({ type: i % 3 ? 'charge.succeeded' : 'charge.refunded' }) })));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const notes = () => fake.sent(BURST_CHAT).slice(1);
    const covered = () =>
      notes().reduce((sum, sent) => sum + (sent.text?.startsWith('📨 burst · POST /') ? 1 : Number(/^📨 (\d+) deliveries in/.exec(sent.text ?? '')?.[1] ?? 0)), 0);
    await expect.poll(covered, { timeout: 8_000 }).toBe(30);
    expect(notes().length).toBeLessThanOrEqual(3);
    expect(notes().at(-1)?.text).toMatch(/burst: \d+ deliveries: charge\.succeeded ×\d+, charge\.refunded ×\d+/);
    // The reply to /new counts too: the chat's pace covers every message, not only notifications.
    const times = fake.sent(BURST_CHAT).map((sent) => sent.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
  });

  it('paces command replies with the notifications, so a chat under a burst still gets one message a second', async () => {
    const BUSY_CHAT = 7003;
    const created = await command(BUSY_CHAT, '/new busy');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    await fetch(url, { method: 'POST', body: '{"type":"first"}' });
    await fake.waitForSent(2, BUSY_CHAT);
    await Promise.all(Array.from({ length: 10 }, () => fetch(url, { method: 'POST', body: '{"type":"more"}' })));
    fake.sendUserMessage(BUSY_CHAT, '/list', { chatType: 'private' });
    fake.sendUserMessage(BUSY_CHAT, '/help', { chatType: 'private' });
    const sent = await fake.waitForSent(5, BUSY_CHAT, 10_000);
    expect(sent.some((message) => message.text?.includes('busy'))).toBe(true);
    const times = sent.map((message) => message.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
  });

  it('keeps buttons on old messages working after a restart', async () => {
    const created = await command(USER, '/new durable');
    const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(created.text ?? '')![1]!;
    const fixture = fixtureNamed('github');
    const notification = await nextSent(USER, () => postFixture(url, fixture));
    expect(await service.stop('SIGTERM')).toBe(0);
    service = await spawnService(env);
    const payload = await nextSent(USER, () => fake.pressButton(USER, notification.messageId, buttonData(notification, 'Payload')));
    expect(payload.text).toContain(fixtureBytes(fixture).toString());
  });

  it('answers stats with a photo of the chart, the figures in its caption', async () => {
    const chat = 7002;
    const url = /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec((await command(chat, '/new shop')).text ?? '')![1]!;
    for (let i = 0; i < 2; i++) await nextSent(chat, () => postFixture(url, fixtureNamed('stripe')));
    const stats = await command(chat, '/stats shop');
    expect(stats.kind).toBe('photo');
    expect(stats.caption).toMatch(/^Stats \(shop, last 24h\)\n2 deliveries since .* · 0 rejected as too large \(413\) · 0 invalid signatures\n/);
    expect(stats.caption).toContain('payment_intent.succeeded: 2 (100%)');
    expect(stats.photo).toMatchObject({ width: 900, height: 450, filename: 'stats-24h.png' });
  });

  it('pages find results with a Next button that runs the next page', async () => {
    const chat = 7003;
    const url = /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec((await command(chat, '/new bulk')).text ?? '')![1]!;
    await command(chat, '/mute bulk');
    for (let i = 0; i < 22; i++) await fetch(url, { method: 'POST', body: `same words ${i}` });
    const first = await command(chat, '/find same words');
    expect(first.text).toMatch(/^22 deliveries match same words \(all endpoints\)\n/);
    expect(first.text).toMatch(/\n2 more: \/find same words before:\w{16}$/);
    const second = await nextSent(chat, () => fake.pressButton(chat, first.messageId, buttonData(first, 'Next 20')));
    expect(second.text?.split('\n')).toHaveLength(3);
    expect(second.text).toMatch(/^2 older deliveries match same words \(all endpoints\)\n/);
  });
});

describe('the Telegram bot in webhook mode with allowed chats', () => {
  let fake: TelegramFake;
  let service: SpawnedService;

  beforeAll(async () => {
    fake = await startTelegramFake();
    service = await spawnService({
      DATABASE_URL: tempDatabaseUrl(),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: 'right-secret_1',
      TELEGRAM_ALLOWED_CHATS: `${USER}`,
    });
    await fake.waitForCall('setWebhook');
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await fake.stop();
  });

  it('sets its webhook at $PUBLIC_URL/telegram with the secret and takes updates there', async () => {
    expect(fake.webhook).toMatchObject({ url: `${service.url}/telegram`, secretToken: 'right-secret_1' });
    fake.sendUserMessage(USER, '/list');
    await fake.waitForSent(1, USER);
    expect(fake.sent(USER)[0]?.text).toBe('No endpoints yet\nCreate one with /new stripe.');
  });

  it('refuses an update without the right secret token', async () => {
    const update = JSON.stringify({ update_id: 999, message: { message_id: 1, date: 0, chat: { id: USER, type: 'private' }, text: '/new sneaky' } });
    const wrong = await fetch(`${service.url}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' }, body: update });
    const missing = await fetch(`${service.url}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: update });
    expect([wrong.status, missing.status]).toEqual([401, 401]);
  });

  it('tells a chat outside TELEGRAM_ALLOWED_CHATS its id and nothing else', async () => {
    fake.sendUserMessage(4242, '/new stripe');
    await fake.waitForSent(1, 4242);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.sent(4242).map((sent) => sent.text)).toEqual(['This chat may not use this bot. Its chat id is 4242: the operator can add it to TELEGRAM_ALLOWED_CHATS.']);
  });
});
