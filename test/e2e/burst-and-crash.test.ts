import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { startSlackFake, type SlackFake } from '../fakes/slack-fake.ts';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-fake.ts';
import { loadThroughKill } from '../helpers/load-through-kill.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

const TELEGRAM_CHAT = 9001;
const SLACK_CHANNEL = 'C0BURSTKILL';
const DELIVERIES = 600;
const CONCURRENCY = 20;
const ID = /\b[0-9a-z]{16}\b/g;

/** Which delivery ids a chat's messages account for: named one by one, or inside a summary's id range. */
function coverage(texts: string[]) {
  const single = new Set<string>();
  const ranges: Array<[string, string]> = [];
  for (const text of texts) {
    const range = /Ids ([0-9a-z]{16}) to ([0-9a-z]{16})/.exec(text);
    if (range) ranges.push([range[1]!, range[2]!]);
    else for (const id of text.match(ID) ?? []) single.add(id);
  }
  return (id: string) => single.has(id) || ranges.some(([first, last]) => id >= first && id <= last);
}

describe('a burst with throttling chats and a kill -9 in the middle', () => {
  let telegram: TelegramFake;
  let slack: SlackFake;
  let service: SpawnedService;
  let env: Record<string, string>;

  beforeAll(async () => {
    telegram = await startTelegramFake();
    slack = await startSlackFake();
    env = {
      DATABASE_URL: tempDatabaseUrl(),
      PORT: String(await freePort()),
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
    };
    service = await spawnService(env);
    await telegram.waitForCall('deleteWebhook');
  });
  afterAll(async () => {
    await service.stop('SIGKILL');
    await telegram.stop();
    await slack.stop();
  });

  it('stores every delivery answered 2xx and covers each in a chat message, within the platforms\' pace', async () => {
    telegram.sendUserMessage(TELEGRAM_CHAT, '/new burst');
    await telegram.waitForSent(1, TELEGRAM_CHAT);
    const telegramUrl = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(telegram.sent(TELEGRAM_CHAT)[0]!.text ?? '')![1]!;
    const created = await slack.slashCommand(`${service.url}/slack/events`, { text: 'new burst', channelId: SLACK_CHANNEL });
    await slack.waitForResponse(1);
    const slackUrl = /(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/.exec(JSON.stringify(slack.responses(created.responseId)))![1]!;

    // The chats push back: slow answers and 429s on both.
    telegram.setDelay(80);
    slack.setDelay(80);
    telegram.inject429(2, 1);
    slack.inject429(2, 1);

    // Halfway, kill -9 with requests in flight; senders wait for the restart, as providers retry.
    const answered = await loadThroughKill({
      deliveries: DELIVERIES,
      concurrency: CONCURRENCY,
      async send(n) {
        const url = n % 2 === 0 ? telegramUrl : slackUrl;
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: n % 3 === 0 ? 'charge.refunded' : 'charge.succeeded', n }) }).catch(() => undefined);
        return response?.status === 200 ? ((await response.json()) as { id: string }).id : undefined;
      },
      async restart() {
        await service.stop('SIGKILL');
        service = await spawnService(env);
      },
    });
    expect(answered.length).toBeGreaterThan(DELIVERIES * 0.8);

    const store = await createSqliteStore(env.DATABASE_URL!);
    const stored = new Set((await store.scan('delivery:', { keysOnly: true })).map((entry) => entry.key.slice(-16)));
    await store.close();
    expect(answered.filter((id) => !stored.has(id))).toEqual([]);

    const telegramTexts = () => telegram.sent(TELEGRAM_CHAT).map((sent) => sent.text ?? '');
    const slackTexts = () => slack.posts(SLACK_CHANNEL).map((post) => JSON.stringify(post.blocks));
    const uncovered = () => {
      const covered = [coverage(telegramTexts()), coverage(slackTexts())];
      return answered.filter((id) => !covered.some((isCovered) => isCovered(id)));
    };
    await expect.poll(uncovered, { timeout: 20_000, interval: 500 }).toEqual([]);

    // Notification attempts, 429s included, never closer than a second per chat (less timer jitter).
    // The first Telegram message is the reply to /new, which the user asked for, not the sender's.
    const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]!);
    expect(Math.min(...gaps(telegram.sendTimesOf(TELEGRAM_CHAT).slice(1)))).toBeGreaterThanOrEqual(950);
    expect(Math.min(...gaps(slack.postTimesOf(SLACK_CHANNEL)))).toBeGreaterThanOrEqual(950);
  }, 60_000);
});
