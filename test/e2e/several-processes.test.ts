import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertSchema } from '../../src/domain/alert.ts';
import { endpointSchema } from '../../src/domain/endpoint.ts';
import { REPEAT_NOTE } from '../../src/notify/dispatcher.ts';
import { createPostgresStore } from '../../src/store/postgres-store.ts';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-fake.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/postgres-database.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';

const USER = 7001;
const OTHER_USER = 7002;
const DELIVERIES = 600;
const CONCURRENCY = 15;
const ID = /\b[0-9a-z]{16}\b/g;

/** Whether one of the chat's messages accounts for the id: named, or inside a summary's range. */
function coverage(texts: string[]) {
  return (id: string) =>
    texts.some((text) => {
      const range = /Ids ([0-9a-z]{16}) to ([0-9a-z]{16})/.exec(text);
      return range ? id >= range[1]! && id <= range[2]! : (text.match(ID) ?? ([] as string[])).includes(id);
    });
}

/** Deliveries a message tells: a summary's count (its title), else one. */
const countOf = (text: string) => Number(/^\S* ?(\d+) deliveries in /.exec(text)?.[1] ?? 1);

/** What the dispatcher sends: a delivery's notification, a summary of several, an alert's message. */
const isNotice = (text: string) => /^\S* ?(\S+ · POST \/|\d+ deliveries in )/.test(text) || text.includes('in a row with an invalid signature');

/** The bot's reply to a command typed in the chat: the first message after it that is not a notice (those keep coming). */
async function reply(telegram: TelegramFake, chatId: number, command: string): Promise<string> {
  const before = telegram.sent(chatId).length;
  telegram.sendUserMessage(chatId, command);
  const answer = () => telegram.sent(chatId).slice(before).map((sent) => sent.text ?? '').find((text) => !isNotice(text));
  await expect.poll(answer, { timeout: 15_000 }).toBeDefined();
  return answer()!;
}

const pathIn = (text: string) => /http:\/\/\S+(\/wh\/[\w-]+)/.exec(text)![1]!;

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.skipIf(!testPostgresUrl)('three hookwatch processes on one PostgreSQL database', () => {
  let telegram: TelegramFake;
  let env: Record<string, string>;
  const processes: SpawnedService[] = [];
  const alive = () => processes.filter((service) => service.child.exitCode === null && service.child.signalCode === null);

  beforeAll(async () => {
    telegram = await startTelegramFake();
    // Every delivery of the burst is kept, so the test can find each.
    env = { DATABASE_URL: await createTestDatabase(), TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, RETENTION_DELIVERIES: '10000' };
    // The first one started leads: it long-polls Telegram.
    processes.push(await spawnService(env));
    await telegram.waitForCall('deleteWebhook');
    processes.push(await spawnService(env), await spawnService(env));
  });
  afterAll(async () => {
    for (const service of processes) await service.stop('SIGKILL');
    await telegram.stop();
  });

  it('behave as one: every 2xx stored and told, the bot moves when the leader is killed -9 mid-burst', async () => {
    const [leader, ...others] = processes as [SpawnedService, SpawnedService, SpawnedService];
    telegram.sendUserMessage(USER, '/new burst');
    await telegram.waitForSent(1, USER);
    const path = /http:\/\/\S+(\/wh\/[\w-]+)/.exec(telegram.sent(USER)[0]!.text ?? '')![1]!;
    // Only the leader polls: with three processes up, Telegram saw no second poller (it would answer 409).
    expect(telegram.calls.filter((call) => call.method === 'getUpdates' && call.status === 409)).toEqual([]);

    // Requests spread over the processes; one whose process is gone goes to the next, as a load balancer would.
    const answered: string[] = [];
    let next = 0;
    let killed = false;
    async function sender(): Promise<void> {
      while (next < DELIVERIES) {
        const n = next++;
        if (n === DELIVERIES / 2 && !killed) {
          killed = true;
          leader.child.kill('SIGKILL');
        }
        for (let attempt = 0; attempt < processes.length; attempt++) {
          const service = processes[(n + attempt) % processes.length]!;
          const response = await post(`${service.url}${path}`, { type: 'charge.succeeded', n }).catch(() => undefined);
          if (response?.status === 200) {
            answered.push(((await response.json()) as { id: string }).id);
            break;
          }
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    expect(answered.length).toBe(DELIVERIES);

    const store = await createPostgresStore(env.DATABASE_URL!);
    const stored = new Set((await store.scan('delivery:', { keysOnly: true })).map((entry) => entry.key.slice(-16)));
    await store.close();
    expect(answered.filter((id) => !stored.has(id))).toEqual([]);

    const texts = () => telegram.sent(USER).slice(1).map((sent) => sent.text ?? '');
    await expect.poll(() => answered.filter((id) => !coverage(texts())(id)), { timeout: 30_000, interval: 500 }).toEqual([]);
    // Summaries' ranges overlap (the leader hears of other processes' deliveries a little later), so repeats are
    // counted: beyond what is stored (a request the killed leader stored but could not answer was sent again, and
    // stored twice), only sends the killed leader had begun, each told again with the note.
    const told = texts().reduce((sum, text) => sum + countOf(text), 0);
    const toldAgainWithNote = texts().filter((text) => text.includes(REPEAT_NOTE)).reduce((sum, text) => sum + countOf(text), 0);
    expect(told).toBeGreaterThanOrEqual(stored.size);
    expect(told - stored.size).toBeLessThanOrEqual(toldAgainWithNote);

    // The bot's session moved: a command is answered by the new leader.
    expect(await reply(telegram, USER, '/list')).toMatch(/^\S* ?Endpoints[\s\S]*burst/);
    expect(alive().map((service) => service.url)).toEqual(others.map((service) => service.url));
  }, 90_000);

  it('holds a mute made through one process in another at once', async () => {
    const [first, second] = alive() as [SpawnedService, SpawnedService];
    // A chat of its own, so no notification of the burst takes its turns.
    const quiet = pathIn(await reply(telegram, OTHER_USER, '/new quiet'));
    const loud = pathIn(await reply(telegram, OTHER_USER, '/new loud'));
    const store = await createPostgresStore(env.DATABASE_URL!);
    const isMuted = async () => (await store.scan('endpoint:')).some(({ value }) => endpointSchema.parse(value).name === 'quiet' && endpointSchema.parse(value).mutedUntil !== null);
    // Both processes have the endpoint cached from a delivery just now; the mute follows at once.
    for (const service of [first, second]) expect((await post(`${service.url}${quiet}`, { warm: true })).status).toBe(200);
    telegram.sendUserMessage(OTHER_USER, '/mute quiet 1h');
    await expect.poll(isMuted, { timeout: 10_000, interval: 10 }).toBe(true);
    await store.close();
    // Well within the second for which each process would still serve its cached endpoint.
    const muted = await Promise.all([first, second].map(async (service) => ((await (await post(`${service.url}${quiet}`, { after: 'mute' })).json()) as { id: string }).id));
    // What would have brought a notification of the muted deliveries: a later one in the same chat, told after them.
    await post(`${second.url}${loud}`, { marker: 'after the muted ones' });
    const told = () => telegram.sent(OTHER_USER).map((sent) => sent.text ?? '').filter(isNotice);
    await expect.poll(() => told().some((text) => text.includes('loud')), { timeout: 20_000 }).toBe(true);
    // The two warm-ups and the marker, alone or merged: none of the muted two.
    expect(told().reduce((sum, text) => sum + countOf(text), 0)).toBe(3);
    expect(told().filter((text) => muted.some((id) => text.includes(id)))).toEqual([]);
  }, 60_000);
});

describe.skipIf(!testPostgresUrl)('two processes with the Telegram bot on a webhook that reaches the one that does not lead', () => {
  let telegram: TelegramFake;
  let databaseUrl: string;
  const processes: SpawnedService[] = [];

  beforeAll(async () => {
    telegram = await startTelegramFake();
    databaseUrl = await createTestDatabase();
    const [leaderPort, otherPort] = [await freePort(), await freePort()];
    const env = { DATABASE_URL: databaseUrl, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_WEBHOOK_SECRET: 'several_1', PUBLIC_URL: `http://127.0.0.1:${otherPort}` };
    processes.push(await spawnService({ ...env, PORT: String(leaderPort) }));
    await telegram.waitForCall('setWebhook');
    processes.push(await spawnService({ ...env, PORT: String(otherPort) }));
  });
  afterAll(async () => {
    for (const service of processes) await service.stop('SIGKILL');
    await telegram.stop();
  });

  /** A command through the webhook, so answered by the process that does not lead; its reply. */
  const command = (text: string) => reply(telegram, USER, text);

  it('opens an alert for deliveries stored elsewhere, lists it there from the store, and acknowledges it through the leader', async () => {
    const [, other] = processes as [SpawnedService, SpawnedService];
    const path = pathIn(await command('/new gh'));
    await command('/secret gh not-the-real-secret');
    for (let i = 0; i < 3; i++) expect((await postFixture(`${other.url}${path}`, fixtureNamed('github'))).status).toBe(200);
    // The leader heard of the three and opened the alert; its message is the leader's to send.
    await expect.poll(() => telegram.sent(USER).some((sent) => sent.text?.includes('3 deliveries in a row with an invalid signature')), { timeout: 15_000 }).toBe(true);

    const listed = await command('/alerts');
    const id = /· (\w{16})/.exec(listed)?.[1];
    expect(listed).toContain('not acknowledged');
    expect(await command(`/ack ${id}`)).toMatch(/^\S* ?Acknowledged: gh: invalid signatures/);
    const store = await createPostgresStore(databaseUrl);
    await expect.poll(async () => alertSchema.parse(await store.get(`alert:${id}`)).acknowledgedAt !== undefined, { timeout: 10_000, interval: 50 }).toBe(true);
    await store.close();
    expect(await command('/alerts')).toMatch(new RegExp(`gh: invalid signatures · ${id}: .* · acknowledged$`));
  }, 60_000);
});
