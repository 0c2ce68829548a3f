import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startHookwatchProcess, stopChild, waitHealthy } from './children.ts';
import { attachConsoleChat } from './console-chat.ts';
import { measure, type LoadFigures } from './load.ts';
import { printAligned } from './report.ts';
import { countOpenAlerts, seedEndpoints } from './seed-endpoints.ts';
import { cpuPerMinute } from './process-cpu.ts';

const ENDPOINTS = 10_000;
const EVERY_MS = 60_000;
/** CPU is sampled over this long twice: while the first checks open alerts (before the load), and a minute on. */
const WINDOW_MS = 20_000;
const GOAL_RATIO = 0.95;

interface Arm {
  ingest: LoadFigures;
  /** CPU ms per minute while the first checks fall due (and, with expectations, open an alert each). */
  firstMinute?: number;
  /** A minute on, when each endpoint is looked at again (its alert already open). */
  laterMinute?: number;
  openAlerts: number;
}

/** hookwatch on a database seeded with 10,000 endpoints; the ingest load goes to one more, `bench`. */
async function runArm(expect: boolean, sampleCpu: boolean): Promise<Arm> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-alerts-'));
  const databaseUrl = `sqlite://${join(dataDir, 'bench.sqlite')}`;
  let child: ChildProcess | undefined;
  try {
    await seedEndpoints(databaseUrl, { count: ENDPOINTS, ...(expect ? { everyMs: EVERY_MS } : {}), now: Date.now() });
    const port = await freePort();
    const started = Date.now();
    child = startHookwatchProcess({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '', DISCORD_BOT_TOKEN: '' });
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base, child);
    const [, token] = await attachConsoleChat(child).ask('new bench', /https?:\/\/\S+\/wh\/([A-Za-z0-9_-]+)/);
    // CPU before the load, so the first window is not the tail of the load's notifications.
    const firstMinute = sampleCpu ? await cpuPerMinute(child.pid!, WINDOW_MS) : undefined;
    const ingest = await measure(`${base}/wh/${token}`);
    let cpu: Pick<Arm, 'firstMinute' | 'laterMinute'> = {};
    if (firstMinute !== undefined) {
      await sleep(Math.max(0, started + EVERY_MS + 5000 - Date.now()));
      cpu = { firstMinute, laterMinute: await cpuPerMinute(child.pid!, WINDOW_MS) };
    }
    await stopChild(child);
    return { ingest, ...cpu, openAlerts: await countOpenAlerts(databaseUrl) };
  } finally {
    if (child) await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The alert scheduler's cost: 10,000 endpoints each expecting a delivery every minute, none arriving,
 * so every one is checked and opens (and tells) a silence alert in the first minute: the most checks a
 * minute can hold with that gap. The same hookwatch without expectations runs before and after; ingest
 * is measured in each (in the expectations run, while checks still fall due), and the scheduler's CPU is
 * the difference in process CPU over the same windows.
 */
export async function runAlertScenario(): Promise<boolean> {
  console.log(`Alerts: ${ENDPOINTS.toLocaleString('en-US')} endpoints, each expecting a delivery every ${EVERY_MS / 1000} s (none comes)`);
  const without = await runArm(false, true);
  const withExpectations = await runArm(true, true);
  const withoutAgain = await runArm(false, false);
  const baseline = (without.ingest.reqPerSec + withoutAgain.ingest.reqPerSec) / 2;
  const ratio = withExpectations.ingest.reqPerSec / baseline;
  const ms = (value: number | undefined) => (value === undefined ? '-' : Math.round(value).toLocaleString('en-US'));
  const rows = [
    ['no expectations, run 1', without],
    ['10,000 expectations', withExpectations],
    ['no expectations, run 2', withoutAgain],
  ] as const;
  printAligned(
    ['hookwatch', 'ingest req/s', 'p99 ms', 'CPU ms/min, first minute', 'CPU ms/min, a minute on', 'open alerts after'],
    rows.map(([name, arm]) => [name, ms(arm.ingest.reqPerSec), arm.ingest.p99.toFixed(1), ms(arm.firstMinute), ms(arm.laterMinute), ms(arm.openAlerts)]),
  );
  const scheduler = (pick: (arm: Arm) => number | undefined) => ms((pick(withExpectations) ?? 0) - (pick(without) ?? 0));
  console.log(`scheduler CPU ms per minute (difference): ${scheduler((arm) => arm.firstMinute)} while opening ${ENDPOINTS.toLocaleString('en-US')} alerts, ${scheduler((arm) => arm.laterMinute)} a minute on`);
  const ok = ratio >= GOAL_RATIO && withExpectations.openAlerts === ENDPOINTS;
  console.log(`ingest with expectations / without (mean of 2): ${ratio.toFixed(2)}x (goal >= ${GOAL_RATIO}); alerts opened: ${withExpectations.openAlerts} of ${ENDPOINTS} -> ${ok ? 'pass' : 'FAIL'}`);
  return ok;
}
