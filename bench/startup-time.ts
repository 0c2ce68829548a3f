import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startHookwatchProcess, stopChild } from './children.ts';

const RUNS = 5;
const TARGET_MS = 1_500;
const POLL_MS = 5;

/** Milliseconds from spawning hookwatch (as `npm start` runs it) to its first 200 on /healthz. */
async function timeToHealthy(dataDir: string, run: number): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = startHookwatchProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite://${join(dataDir, `startup-${run}.sqlite`)}`,
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: '',
    SLACK_BOT_TOKEN: '',
    DISCORD_BOT_TOKEN: '',
    SMTP_URL: '',
  });
  try {
    while (child.exitCode === null) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.ok, () => false);
      if (ok) return performance.now() - started;
      await sleep(POLL_MS);
    }
    throw new Error(`hookwatch exited with code ${child.exitCode} before /healthz answered`);
  } finally {
    await stopChild(child);
  }
}

/** Start-up time, cold store each run (a fresh SQLite file), console chat on: what a restart costs. */
export async function runStartupTime(): Promise<boolean> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-'));
  try {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push(await timeToHealthy(dataDir, run));
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const worst = sorted[sorted.length - 1]!;
    const pass = worst < TARGET_MS;
    console.log(`\nStart to first 200 on /healthz, ${RUNS} runs: ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    console.log(`  median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms (target < ${TARGET_MS} ms: ${pass ? 'PASS' : 'OVER TARGET'})`);
    return pass;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
