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
const MINUTE_MS = 60_000;
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

/** What the 10,000 endpoints expect: nothing, a delivery hourly (each has one now), or one a minute (none has any). */
type Watch = 'none' | 'fine' | 'silent';

/** hookwatch on a database seeded with 10,000 endpoints; the ingest load goes to one more, `bench`. */
async function runArm(watch: Watch, sampleCpu: boolean): Promise<Arm> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-alerts-'));
  const databaseUrl = `sqlite://${join(dataDir, 'bench.sqlite')}`;
  let child: ChildProcess | undefined;
  try {
    const seed = watch === 'fine' ? { everyMs: 60 * MINUTE_MS, delivered: true } : watch === 'silent' ? { everyMs: MINUTE_MS } : {};
    await seedEndpoints(databaseUrl, { count: ENDPOINTS, ...seed, now: Date.now() });
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
      await sleep(Math.max(0, started + MINUTE_MS + 5000 - Date.now()));
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
 * The alert scheduler's cost with 10,000 endpoints each expecting deliveries, their first checks falling
 * due evenly over the first minute (10,000 checks a minute: what a 1-minute gap on each costs):
 * once with every endpoint fine (each check books the next), once with every one silent (each check
 * opens and tells an alert: an outage of all senders at once). The same hookwatch without expectations
 * runs first and last; ingest is measured in each while the checks fall due, and the scheduler's CPU is
 * the difference in process CPU over the same windows.
 */
export async function runAlertScenario(): Promise<boolean> {
  console.log(`Alerts: ${ENDPOINTS.toLocaleString('en-US')} endpoints expecting deliveries, their first checks over the first minute`);
  const without = await runArm('none', true);
  const fine = await runArm('fine', true);
  const silent = await runArm('silent', true);
  const withoutAgain = await runArm('none', false);
  const baseline = (without.ingest.reqPerSec + withoutAgain.ingest.reqPerSec) / 2;
  const ms = (value: number | undefined) => (value === undefined ? '-' : Math.round(value).toLocaleString('en-US'));
  const rows = [
    ['no expectations, run 1', without],
    ['all fine (10,000 checks)', fine],
    ['all silent (10,000 alerts)', silent],
    ['no expectations, run 2', withoutAgain],
  ] as const;
  printAligned(
    ['hookwatch', 'ingest req/s', 'vs none', 'p99 ms', 'CPU ms/min, first minute', 'CPU ms/min, a minute on', 'open alerts after'],
    rows.map(([name, arm]) => [name, ms(arm.ingest.reqPerSec), `${(arm.ingest.reqPerSec / baseline).toFixed(2)}x`, arm.ingest.p99.toFixed(1), ms(arm.firstMinute), ms(arm.laterMinute), ms(arm.openAlerts)]),
  );
  const cost = (arm: Arm, pick: (arm: Arm) => number | undefined) => ms((pick(arm) ?? 0) - (pick(without) ?? 0));
  console.log(`scheduler CPU ms per minute (difference): ${cost(fine, (arm) => arm.firstMinute)} for 10,000 checks finding endpoints fine, ${cost(silent, (arm) => arm.firstMinute)} opening 10,000 alerts; a minute on ${cost(fine, (arm) => arm.laterMinute)} and ${cost(silent, (arm) => arm.laterMinute)}`);
  const ratio = fine.ingest.reqPerSec / baseline;
  const ok = ratio >= GOAL_RATIO && fine.openAlerts === 0 && silent.openAlerts === ENDPOINTS;
  console.log(`ingest with 10,000 expectations / without (mean of 2): ${ratio.toFixed(2)}x (goal >= ${GOAL_RATIO}); alerts: ${fine.openAlerts} when fine, ${silent.openAlerts} of ${ENDPOINTS} when silent -> ${ok ? 'pass' : 'FAIL'}`);
  return ok;
}
