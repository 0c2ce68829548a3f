import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startHookwatchProcess, waitHealthy } from './children.ts';
import { attachConsoleChat } from './console-chat.ts';

export interface SeededHookwatch {
  child: ChildProcess;
  /** One more endpoint, `bench`, made by the console chat: where the ingest load goes. */
  webhookUrl: string;
  databaseUrl: string;
  dataDir: string;
}

/** hookwatch as `npm start` runs it, on a fresh database `seed` wrote first; `track` learns of the child before it is healthy, to stop it whatever happens. */
export async function startSeededHookwatch(seed: (databaseUrl: string) => Promise<void>, env: Record<string, string>, track: (running: SeededHookwatch) => void): Promise<SeededHookwatch> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-'));
  const databaseUrl = `sqlite://${join(dataDir, 'bench.sqlite')}`;
  await seed(databaseUrl);
  const port = await freePort();
  const child = startHookwatchProcess({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '', DISCORD_BOT_TOKEN: '', ...env });
  const running = { child, webhookUrl: '', databaseUrl, dataDir };
  track(running);
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, child);
  const [, token] = await attachConsoleChat(child).ask('new bench', /https?:\/\/\S+\/wh\/([A-Za-z0-9_-]+)/);
  return { ...running, webhookUrl: `${base}/wh/${token}` };
}
