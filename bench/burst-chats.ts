import type { SlackFake } from '../test/fakes/slack-fake.ts';
import type { TelegramFake } from '../test/fakes/telegram-fake.ts';
import type { ChatFake, LatencyPlatform, Notice } from './latency-rig.ts';
import { slackLatency } from './slack-latency.ts';
import { telegramLatency } from './telegram-latency.ts';

/** What both fakes offer to push back on a bot: slow answers, injected 429s, and every call with its status. */
export interface PushbackFake extends ChatFake {
  setDelay(ms: number): void;
  inject429(count: number, retryAfterSeconds: number): void;
  readonly calls: ReadonlyArray<{ status?: number }>;
}

/** One chat of the burst with its endpoint, seen through what the burst scenario reads. */
export interface BurstChat {
  name: string;
  url: string;
  fake: PushbackFake;
  /** hookwatch's successful messages in this chat. */
  notices(): Notice[];
  /** Arrival times of hookwatch's notification attempts in this chat, 429s included. */
  attempts(): number[];
}

/** Waits for the platform's bot, then creates one endpoint in its chat 1 the way a user would. */
async function openChat<F extends PushbackFake>(platform: LatencyPlatform<F>, fake: F, baseUrl: string, attempts: (chat: string) => number[]): Promise<BurstChat> {
  const chat = platform.chatId(1);
  await platform.waitReady(fake, 10_000);
  const url = await platform.newEndpoint(fake, chat, baseUrl);
  return {
    name: platform.text.name,
    url,
    fake,
    notices: () => platform.notices(fake).filter((notice) => notice.chat === chat),
    attempts: () => attempts(chat),
  };
}

// The chat's first send is the bot's reply to /new, which the user asked for: only what follows is paced.
export const telegramChat = (fake: TelegramFake, baseUrl: string) => openChat(telegramLatency, fake, baseUrl, (chat) => fake.sendTimesOf(Number(chat)).slice(1));
// The reply to /hook new goes to the response_url: every chat.postMessage is a notification.
export const slackChat = (fake: SlackFake, baseUrl: string) => openChat(slackLatency, fake, baseUrl, (chat) => fake.postTimesOf(chat));

export interface Coverage {
  /** Answered ids named in a notification of their own. */
  individually: number;
  /** Answered ids inside a summary's id range (and not notified on their own). */
  summarized: number;
  /** Summary messages. */
  summaries: number;
  /** Answered ids no message accounts for (yet). */
  missing: number;
}

const SUMMARY_RANGE = /Ids ([0-9a-z]{16}) to ([0-9a-z]{16})/;
const DELIVERY_ID = /\b[0-9a-z]{16}\b/g;

/** How the chat's messages account for `ids`: one by one, or inside a summary's "Ids <first> to <last>" (ids sort by time). */
export function coverageOf(notices: Notice[], ids: string[]): Coverage {
  const ranges = notices.map(({ text }) => SUMMARY_RANGE.exec(text)).filter((match) => match !== null).map(([, first, last]) => ({ first: first!, last: last! }));
  const named = new Set(notices.filter(({ text }) => !SUMMARY_RANGE.test(text)).flatMap(({ text }) => text.match(DELIVERY_ID) ?? []));
  const inRange = (id: string) => ranges.some(({ first, last }) => id >= first && id <= last);
  const individually = ids.filter((id) => named.has(id)).length;
  const summarized = ids.filter((id) => !named.has(id) && inRange(id)).length;
  return { individually, summarized, summaries: ranges.length, missing: ids.length - individually - summarized };
}

/** Both platforms allow one message a second per chat; less ~50 ms for the sender's timer jitter. */
const MIN_GAP_MS = 950;

/** Attempts, how many came closer to the one before than the platform allows, and the smallest gap (NaN with under two). */
export function gapsOf(times: number[]): { attempts: number; breaches: number; minGapMs: number } {
  const gaps = times.slice(1).map((time, i) => time - times[i]!);
  return { attempts: times.length, breaches: gaps.filter((gap) => gap < MIN_GAP_MS).length, minGapMs: gaps.length > 0 ? Math.min(...gaps) : Number.NaN };
}
