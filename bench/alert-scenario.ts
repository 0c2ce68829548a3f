import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopChild } from './children.ts';
import { measure, SMALL_BODIES, type LoadFigures } from './load.ts';
import { printAligned } from './report.ts';
import { countOpenAlerts, seedEndpoints } from './seed-endpoints.ts';
import { cpuPerMinute } from './process-cpu.ts';
import { startSeededHookwatch, type SeededHookwatch } from './start-seeded-hookwatch.ts';

const ENDPOINTS = 10_000;
const MINUTE_MS = 60_000;
/** CPU is sampled over this long, right after start, while the first checks fall due. */
const WINDOW_MS = 20_000;
/** Ingest runs per process, alternating between them so machine noise hits each alike. */
const ROUNDS = 2;
const GOAL_RATIO = 0.95;

/** What the 10,000 endpoints expect: nothing, a delivery hourly (each has one now), or one a minute (none has any). */
type Watch = 'none' | 'fine' | 'silent';

type Running = SeededHookwatch & { seededAt: number };

/** hookwatch on a database seeded with 10,000 endpoints; the ingest load goes to one more, `bench`. */
async function startArm(watch: Watch, track: (running: Running) => void): Promise<Running> {
  const seed = watch === 'fine' ? { everyMs: 60 * MINUTE_MS, delivered: true } : watch === 'silent' ? { everyMs: MINUTE_MS } : {};
  const seededAt = Date.now();
  const running = await startSeededHookwatch((databaseUrl) => seedEndpoints(databaseUrl, { count: ENDPOINTS, ...seed, now: seededAt }), {}, (started) => track({ ...started, seededAt }));
  return { ...running, seededAt };
}

const mean = (runs: LoadFigures[], pick: (figures: LoadFigures) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;

/**
 * The alert scheduler's cost with 10,000 endpoints each expecting deliveries, their first checks falling
 * due evenly over the first minute (10,000 checks a minute: what a 1-minute gap on each costs). Three
 * processes start together: no expectations, every endpoint fine (each check books the next), every one
 * silent (each check opens and tells an alert: an outage of all senders at once). The scheduler's CPU is
 * the difference in process CPU over the same 20 s; then ingest is measured in turn on each, twice,
 * while the checks still fall due.
 */
export async function runAlertScenario(): Promise<boolean> {
  console.log(`Alerts: ${ENDPOINTS.toLocaleString('en-US')} endpoints expecting deliveries, their first checks over the first minute`);
  const all: Running[] = [];
  try {
    const arms = { none: await startArm('none', (r) => all.push(r)), fine: await startArm('fine', (r) => all.push(r)), silent: await startArm('silent', (r) => all.push(r)) };
    const names = ['none', 'fine', 'silent'] as const;
    const cpu = await Promise.all(names.map((name) => cpuPerMinute(arms[name].child.pid!, WINDOW_MS)));
    const runs: Record<Watch, LoadFigures[]> = { none: [], fine: [], silent: [] };
    for (let round = 0; round < ROUNDS; round++) for (const name of names) runs[name].push(await measure([arms[name].webhookUrl], SMALL_BODIES));
    // Every first check is due within a minute of its seeding, and looked at by the next tick (5 s) after.
    await sleep(Math.max(0, arms.silent.seededAt + MINUTE_MS + 6000 - Date.now()));
    for (const running of all) await stopChild(running.child);
    const open = await Promise.all(names.map((name) => countOpenAlerts(arms[name].databaseUrl)));

    const baseline = mean(runs.none, (f) => f.reqPerSec);
    const labels = { none: 'no expectations', fine: 'all fine (10,000 checks)', silent: 'all silent (10,000 alerts)' };
    const count = (value: number) => Math.round(value).toLocaleString('en-US');
    printAligned(
      ['hookwatch', 'ingest req/s (runs)', 'vs none', 'p99 ms', 'CPU ms/min', 'scheduler CPU ms/min', 'open alerts after'],
      names.map((name, i) => [
        labels[name],
        runs[name].map((run) => count(run.reqPerSec)).join(' / '),
        `${(mean(runs[name], (f) => f.reqPerSec) / baseline).toFixed(2)}x`,
        mean(runs[name], (f) => f.p99).toFixed(1),
        count(cpu[i]!),
        name === 'none' ? '-' : count(cpu[i]! - cpu[0]!),
        count(open[i]!),
      ]),
    );
    const ratio = mean(runs.fine, (f) => f.reqPerSec) / baseline;
    const ok = ratio >= GOAL_RATIO && open[1] === 0 && open[2] === ENDPOINTS;
    console.log(`ingest with 10,000 expectations / without: ${ratio.toFixed(2)}x (goal >= ${GOAL_RATIO}); alerts: ${open[1]} when fine, ${open[2]} of ${ENDPOINTS} when silent -> ${ok ? 'pass' : 'FAIL'}`);
    return ok;
  } finally {
    for (const running of all) {
      await stopChild(running.child);
      await rm(running.dataDir, { recursive: true, force: true });
    }
  }
}
