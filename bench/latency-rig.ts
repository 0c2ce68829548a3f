import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHookwatchProcess } from './children.ts';

/** A chat API request body: Telegram's JSON payload, Slack's Web API arguments, Discord's message JSON. */
export type Payload = Record<string, unknown>;

/** Chats 1..CHAT_COUNT are measured; chat 0 takes the floor's direct sends. */
export const CHAT_COUNT = 10;

/** One message the fake accepted from a bot, reduced to what the latency scenario reads. */
export interface Notice {
  chat: string;
  /** Everything searchable for a delivery id (Slack: text and blocks; Discord: content and embeds). */
  text: string;
  /** Date.now() when the request arrived at the fake. */
  at: number;
  /** The request as the bot sent it: the template of the floor's direct sends. */
  payload: Payload;
}

/** What every chat fake offers as it is. */
export interface ChatFake {
  stop(): Promise<void>;
}

/** A chat platform's fake, seen through the few operations the latency scenario needs. */
export interface LatencyPlatform<F extends ChatFake> {
  /** For the printed conditions and table: e.g. Slack, Web API, chat.postMessage, channel (singular). */
  text: { name: string; api: string; method: string; chatKind: string };
  /** The id of chat `n`: 1..CHAT_COUNT are measured, 0 takes the floor's direct sends. */
  chatId(n: number): string;
  /** Resolves once hookwatch's bot is up at the fake (each fake waits for calls its own way). */
  waitReady(fake: F, timeoutMs: number): Promise<unknown>;
  startFake(): Promise<F>;
  /** hookwatch's environment that points its bot at `fake`. */
  env(fake: F): Record<string, string>;
  /** Creates an endpoint from `chat` the way a user would; resolves with its webhook URL. */
  newEndpoint(fake: F, chat: string, baseUrl: string): Promise<string>;
  /** Successful notification requests so far, in arrival order. */
  notices(fake: F): Notice[];
  /** POSTs `payload` straight from the bench to the fake, into `chat`, as the bot would; its `text` is the floor's marked text. */
  postDirect(fake: F, chat: string, payload: Payload): Promise<void>;
}

/** Where spawnHookwatch keeps hookwatch's SQLite database, for a scenario that reads it afterwards. */
export const databaseUrlIn = (dataDir: string) => `sqlite://${join(dataDir, 'latency-bench.sqlite')}`;

/**
 * hookwatch as its own process with only `botEnv`'s bot on. Synchronous so the caller holds the child
 * before anything can fail, and always stops it.
 */
export function spawnHookwatch(dataDir: string, port: number, botEnv: Record<string, string>): ChildProcess {
  const child = startHookwatchProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    // Replies then carry a URL this process can POST to as is (localhost may resolve to ::1).
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrlIn(dataDir),
    LOG_LEVEL: 'warn',
    // Blank counts as unset and set variables win over a local .env: no other bot, long polling,
    // no Socket Mode, every chat allowed.
    TELEGRAM_BOT_TOKEN: '',
    TELEGRAM_WEBHOOK_SECRET: '',
    TELEGRAM_ALLOWED_CHATS: '',
    SLACK_BOT_TOKEN: '',
    SLACK_APP_TOKEN: '',
    SLACK_ALLOWED_CHATS: '',
    DISCORD_BOT_TOKEN: '',
    DISCORD_API_URL: '',
    DISCORD_GUILD_ID: '',
    DISCORD_ALLOWED_CHATS: '',
    ...botEnv,
  });
  child.stdout?.resume(); // nothing is expected there, but a full pipe would block the server
  return child;
}

/** Re-checks `probe` every few ms until it returns something; fails after `timeoutMs`. */
export async function pollFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() >= deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** The webhook URL in a bot's reply to `new`; `where` names the reply in the error. */
export function endpointUrlIn(reply: string, where: string): string {
  const url = /(http:\/\/[^\s"'\\<>|]+\/wh\/[\w-]+)/.exec(reply)?.[1];
  if (!url) throw new Error(`no webhook URL in the reply to new ${where}: ${JSON.stringify(reply)}`);
  return url;
}

export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
