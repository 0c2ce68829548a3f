import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startHookwatchProcess, waitHealthy } from './children.ts';
import { attachConsoleChat, type ConsoleChat } from './console-chat.ts';

export interface BenchHookwatch {
  child: ChildProcess;
  chat: ConsoleChat;
  baseUrl: string;
  webhookUrl: string;
  /** With `endpoints` > 1, one URL per endpoint (`bench`, `bench2`, …); webhookUrl is the first. */
  webhookUrls: string[];
  /** The endpoints' names, for `show`. */
  names: string[];
}

/** hookwatch (sqlite in `dataDir`, console chat on) with one endpoint, `bench`, created through the chat. */
export async function startBenchHookwatch(dataDir: string, track: (child: ChildProcess) => void, env: Record<string, string> = {}, endpoints = 1): Promise<BenchHookwatch> {
  const port = await freePort();
  const child = startHookwatchProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite://${join(dataDir, 'bench.sqlite')}`,
    RETENTION_DELIVERIES: '10000000', // nothing pruned, so the stored count can be checked
    LOG_LEVEL: 'warn',
    // Blank counts as unset, and set variables win over a local .env: the console chat stays on.
    TELEGRAM_BOT_TOKEN: '',
    SLACK_BOT_TOKEN: '',
    DISCORD_BOT_TOKEN: '',
    ...env,
  });
  track(child);
  const chat = attachConsoleChat(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, child);
  const names = Array.from({ length: endpoints }, (_, i) => (i === 0 ? 'bench' : `bench${i + 1}`));
  const webhookUrls: string[] = [];
  for (const name of names) {
    const [, token] = await chat.ask(`new ${name}`, /https?:\/\/\S+\/wh\/([A-Za-z0-9_-]+)/);
    // Only the token is taken: the printed URL says "localhost", which may resolve to ::1.
    webhookUrls.push(`${baseUrl}/wh/${token}`);
  }
  return { child, chat, baseUrl, webhookUrl: webhookUrls[0]!, webhookUrls, names };
}

/** hookwatch's own count of stored deliveries (of the endpoints named, `bench` by default), asked through its console chat. */
export async function countStoredByChat(chat: ConsoleChat, names = ['bench']): Promise<number> {
  let total = 0;
  for (const name of names) {
    const [, stored = ''] = await chat.ask(`show ${name}`, /^Stored deliveries: (\d+) \(/);
    total += Number(stored);
  }
  return total;
}
