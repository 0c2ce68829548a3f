import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deliveryIdTime } from '../src/domain/ids.ts';
import { startBenchHookwatch } from './bench-hookwatch.ts';
import { stopChild } from './children.ts';
import { pacedLoad } from './paced-load.ts';
import { rssOf, sampleRss } from './rss-sampler.ts';
import { startBenchTarget, type Arrivals } from './start-bench-target.ts';

/** The issue's outage: a target down for 2 minutes (BENCH_OUTAGE_SECONDS changes it) under 200 deliveries/s. */
export const DEFAULT_OUTAGE_SECONDS = 120;
const PER_SECOND = 200;
/** Load with the target up before it goes down, and after it is back (new deliveries arrive while the backlog drains). */
const UP_BEFORE_S = 10;
const UP_AFTER_S = 30;
/** How long the bench waits for the last delivery after the target is back before it calls the rest lost. */
const DRAIN_LIMIT_MS = 600_000;
/** After the backlog has arrived, how long the "recovered" alert message may take (it waits for the queue to be empty). */
const RESOLVE_LIMIT_MS = 60_000;

/** BENCH_OUTAGE_SECONDS (blank: the default), or an error that says what to write. */
export function outageSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_OUTAGE_SECONDS?.trim();
  if (raw === undefined || raw === '') return DEFAULT_OUTAGE_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`BENCH_OUTAGE_SECONDS is the target's outage in seconds, e.g. 30; "${raw}" is not a number above 0`);
  return seconds;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Outages in one run, each followed by UP_AFTER_S of load: the second tells growth run over run from a heap V8 keeps and reuses. */
const OUTAGES = 2;

/**
 * One hookwatch forwarding every delivery to a target in its own process, under an even 200 deliveries/s:
 * the target up, then down (port closed) for the outage, then back while the load goes on, twice. Checks by
 * X-Hookwatch-Delivery that every delivery answered 2xx reached the target, times the drain of the
 * deliveries received during each outage, samples hookwatch's RSS each second (peak per outage and the load
 * after it), and counts the chat's forwarding alert messages (one opened and one resolved per outage: the
 * count goes up quietly in between).
 */
export async function runForwardOutage(outageS: number): Promise<boolean> {
  const children: ChildProcess[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-'));
  const track = (child: ChildProcess) => children.push(child);
  try {
    const target = await startBenchTarget(track);
    const hookwatch = await startBenchHookwatch(dataDir, track, { FORWARD_ALLOW_PRIVATE: 'true' });
    await hookwatch.chat.ask(`forward bench ${target.url}/hook`, /forwards to/);
    const opened = hookwatch.chat.counter(/forwarding failing/);
    const resolved = hookwatch.chat.counter(/forwarding recovered/);
    const seconds = UP_BEFORE_S + OUTAGES * (outageS + UP_AFTER_S);
    console.log(`forward outage: ${PER_SECOND} deliveries/s for ${seconds} s, the target down ${OUTAGES} times for ${outageS} s (BENCH_OUTAGE_SECONDS=${outageS}) from ${UP_BEFORE_S} s, back for ${UP_AFTER_S} s after each`);

    const pid = hookwatch.child.pid!;
    const startRss = rssOf(pid);
    const load = pacedLoad([hookwatch.webhookUrl], { perSecond: PER_SECOND, seconds, connections: 16 });
    const outages: Array<{ downAt: number; backAt: number; rss: ReturnType<typeof sampleRss>; atDown: number | undefined; atBack: number | undefined }> = [];
    await sleep(UP_BEFORE_S * 1000);
    for (let round = 0; round < OUTAGES; round += 1) {
      const rss = sampleRss(pid, 1000);
      await target.down();
      const downAt = Date.now();
      const atDown = rssOf(pid);
      await sleep(outageS * 1000 - (Date.now() - downAt));
      await target.up();
      outages.push({ downAt, backAt: Date.now(), rss, atDown, atBack: rssOf(pid) });
      if (round < OUTAGES - 1) await sleep(UP_AFTER_S * 1000);
    }
    const result = await load;
    const lastBack = outages.at(-1)!.backAt;

    const answered = result.ids[0]!;
    const missing = (arrived: Arrivals) => answered.filter((id) => arrived.arrivals[id] === undefined);
    let arrived = await target.arrivals();
    while (missing(arrived).length > 0 && Date.now() - lastBack < DRAIN_LIMIT_MS) {
      await sleep(500);
      arrived = await target.arrivals();
    }
    const drainedAt = Date.now();
    while (resolved() < OUTAGES && Date.now() - drainedAt < RESOLVE_LIMIT_MS) await sleep(200);
    const resolvedMs = Date.now() - drainedAt;
    const memory = outages.map((outage) => outage.rss.stop());
    const endRss = rssOf(pid);
    const [, queued = '?'] = await hookwatch.chat.ask('forward bench', /(\d+) queued/);

    const lost = missing(arrived).length;
    const unique = Object.keys(arrived.arrivals).length;
    console.log(`answered 2xx: ${count(answered.length)} (non-2xx ${result.non2xx}, no answer ${result.errors}; schedule kept within ${result.maxLagMs.toFixed(0)} ms)`);
    console.log(`at the target: ${count(answered.length - lost)} of ${count(answered.length)} answered delivery ids (${lost} lost); ${count(arrived.total)} relay requests for ${count(unique)} deliveries (${count(arrived.total - unique)} repeats)`);
    const mb = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(0));
    console.log(`hookwatch RSS at the start: ${mb(startRss)} MB; at the end: ${mb(endRss)} MB`);
    outages.forEach(({ downAt, backAt, atDown, atBack }, round) => {
      const backlog = answered.filter((id) => deliveryIdTime(id) >= downAt && deliveryIdTime(id) < backAt);
      const drainMs = Math.max(0, ...backlog.map((id) => (arrived.arrivals[id] ?? Number.NaN) - backAt));
      console.log(`outage ${round + 1}: ${count(backlog.length)} deliveries received while the target was down, all at the target ${lost > 0 ? 'NEVER (some lost)' : `${(drainMs / 1000).toFixed(1)} s after it came back`}`);
      console.log(`  RSS ${mb(atDown)} MB when the target went down, ${mb(atBack)} MB when it came back, peak ${mb(memory[round]?.peak)} MB (sampled each second from its going down ${round < OUTAGES - 1 ? 'to the next outage' : 'to the last arrival'})`);
    });
    console.log(`chat alert messages: ${opened()} "forwarding failing", ${resolved()} "forwarding recovered" (goal: ${OUTAGES} each)${resolved() > 0 ? `, the last ${(resolvedMs / 1000).toFixed(1)} s after the last arrival` : ''}; ${queued} relays still queued at the end`);
    return lost === 0 && opened() === OUTAGES && resolved() === OUTAGES;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}
