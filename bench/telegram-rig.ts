import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TelegramFake } from '../test/fakes/telegram-fake.ts';
import { startScript, waitHealthy } from './children.ts';

/**
 * hookwatch as its own process with the Telegram bot polling the in-process fake. Synchronous so the
 * caller holds the child before anything can fail, and always stops it.
 */
export function spawnHookwatchOnFake(fake: TelegramFake, dataDir: string, port: number): ChildProcess {
  const child = startScript('src/main.ts', {
    PORT: String(port),
    HOST: '127.0.0.1',
    // /new replies then carry a URL this process can POST to as is (localhost may resolve to ::1).
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: `sqlite://${join(dataDir, 'telegram-bench.sqlite')}`,
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    // Blank counts as unset and set variables win over a local .env: long polling, every chat allowed, no other bots.
    TELEGRAM_WEBHOOK_SECRET: '',
    TELEGRAM_ALLOWED_CHATS: '',
    SLACK_BOT_TOKEN: '',
    DISCORD_BOT_TOKEN: '',
  });
  child.stdout?.resume(); // nothing is expected there, but a full pipe would block the server
  return child;
}

/** Ready = answering /healthz and polling the fake (grammY's bot.start() begins with deleteWebhook). */
export async function waitReady(fake: TelegramFake, baseUrl: string, child: ChildProcess): Promise<void> {
  await waitHealthy(baseUrl, child);
  await fake.waitForCall('deleteWebhook', () => true, 10_000);
}

/** `/new bench` in each private chat; returns each chat's webhook URL, read from the bot's reply. */
export async function createEndpoints(fake: TelegramFake, chatIds: number[]): Promise<Map<number, string>> {
  const urls = new Map<number, string>();
  await Promise.all(
    chatIds.map(async (chatId) => {
      const before = fake.sent(chatId).length;
      fake.sendUserMessage(chatId, '/new bench', { chatType: 'private' });
      const sent = await fake.waitForSent(before + 1, chatId, 10_000);
      const text = sent[before]?.text ?? '';
      const url = /(http:\/\/\S+\/wh\/[\w-]+)/.exec(text)?.[1];
      if (!url) throw new Error(`no webhook URL in the reply to /new in chat ${chatId}: ${JSON.stringify(text)}`);
      urls.set(chatId, url);
    }),
  );
  return urls;
}
