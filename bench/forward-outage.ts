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

/**
 * One hookwatch forwarding every delivery to a target in its own process, under an even 200 deliveries/s:
 * the target up, then down (port closed) for the outage, then back while the load goes on. Checks by
 * X-Hookwatch-Delivery that every delivery answered 2xx reached the target, times the drain of the
 * deliveries received during the outage, samples hookwatch's RSS each second, and counts the chat's
 * forwarding alert messages (one opened, one resolved: the count goes up quietly in between).
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
    const seconds = UP_BEFORE_S + outageS + UP_AFTER_S;
    console.log(`forward outage: ${PER_SECOND} deliveries/s for ${seconds} s, the target down from ${UP_BEFORE_S} s to ${UP_BEFORE_S + outageS} s (BENCH_OUTAGE_SECONDS=${outageS})`);

    const pid = hookwatch.child.pid!;
    const rss = sampleRss(pid, 1000);
    const rssAt: Array<[string, number | undefined]> = [];
    const load = pacedLoad([hookwatch.webhookUrl], { perSecond: PER_SECOND, seconds, connections: 16 });
    await sleep(UP_BEFORE_S * 1000);
    await target.down();
    const downAt = Date.now();
    rssAt.push(['target down', rssOf(pid)]);
    await sleep(outageS * 1000 - (Date.now() - downAt));
    await target.up();
    const backAt = Date.now();
    rssAt.push(['target back', rssOf(pid)]);
    const result = await load;
    rssAt.push(['load ended', rssOf(pid)]);

    const answered = result.ids[0]!;
    const missing = (arrived: Arrivals) => answered.filter((id) => arrived.arrivals[id] === undefined);
    let arrived = await target.arrivals();
    while (missing(arrived).length > 0 && Date.now() - backAt < DRAIN_LIMIT_MS) {
      await sleep(500);
      arrived = await target.arrivals();
    }
    const drainedAt = Date.now();
    rssAt.push(['all arrived', rssOf(pid)]);
    while (resolved() === 0 && Date.now() - drainedAt < RESOLVE_LIMIT_MS) await sleep(200);
    const resolvedMs = Date.now() - drainedAt;
    const memory = rss.stop();
    const [, queued = '?'] = await hookwatch.chat.ask('forward bench', /(\d+) queued/);

    const lost = missing(arrived).length;
    const backlog = answered.filter((id) => deliveryIdTime(id) >= downAt && deliveryIdTime(id) < backAt);
    const drainMs = Math.max(0, ...backlog.map((id) => (arrived.arrivals[id] ?? Number.NaN) - backAt));
    const unique = Object.keys(arrived.arrivals).length;
    console.log(`answered 2xx: ${count(answered.length)} (non-2xx ${result.non2xx}, no answer ${result.errors}; schedule kept within ${result.maxLagMs.toFixed(0)} ms)`);
    console.log(`at the target: ${count(answered.length - lost)} of ${count(answered.length)} answered delivery ids (${lost} lost); ${count(arrived.total)} relay requests for ${count(unique)} deliveries (${count(arrived.total - unique)} repeats)`);
    console.log(`backlog: ${count(backlog.length)} deliveries received while the target was down, all at the target ${lost > 0 ? 'NEVER (some lost)' : `${(drainMs / 1000).toFixed(1)} s after it came back`}`);
    if (memory) console.log(`hookwatch RSS, sampled each second: ${memory.first.toFixed(0)} MB at the start, ${memory.peak.toFixed(0)} MB at the peak, ${memory.last.toFixed(0)} MB at the end`);
    console.log(`  RSS ${rssAt.map(([when, mb]) => `${mb === undefined ? '?' : mb.toFixed(0)} MB when the ${when}`).join(', ')}`);
    console.log(`chat alert messages: ${opened()} "forwarding failing", ${resolved()} "forwarding recovered" (goal: one each)${resolved() > 0 ? `, the last ${(resolvedMs / 1000).toFixed(1)} s after the last arrival` : ''}; ${queued} relays still queued at the end`);
    return lost === 0 && opened() === 1 && resolved() === 1;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}
