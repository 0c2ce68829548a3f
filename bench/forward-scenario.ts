import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchHookwatch } from './bench-hookwatch.ts';
import { stopChild } from './children.ts';
import { outageSeconds, runForwardOutage } from './forward-outage.ts';
import { summarize } from './latency-report.ts';
import { BODY, measure, SMALL_BODIES, type LoadFigures } from './load.ts';
import { cpuMsOf, cpuUntilQuiet } from './process-cpu.ts';
import { meanOf, printTable, type Row } from './report.ts';
import { startBenchTarget } from './start-bench-target.ts';

/** Deliveries sent one at a time, paced, to time the sender's 2xx -> the target's receipt. */
const LATENCY_SAMPLES = 200;
const LATENCY_INTERVAL_MS = 20;
/** The goals: forwarding keeps >= 0.9x of plain ingest; p50 from 2xx to the target under 20 ms. */
const GOAL_RATIO = 0.9;
const GOAL_P50_MS = 20;

/** CPU of each process over one load, all of the process's work for it included, per delivery answered 2xx. */
type CpuPerDelivery = { hookwatch: number; target: number; loadGenerator: number };

/** A load on `url`, and the CPU it cost: hookwatch's until it has gone quiet (notifications and relays done). */
async function measureWithCpu(url: string, pids: { hookwatch: number; target: number }): Promise<{ figures: LoadFigures; endedAt: number; cpu: CpuPerDelivery }> {
  const before = { hookwatch: cpuMsOf(pids.hookwatch), target: cpuMsOf(pids.target), loadGenerator: process.cpuUsage() };
  const figures = await measure([url], SMALL_BODIES);
  const endedAt = Date.now();
  const own = process.cpuUsage(before.loadGenerator);
  const hookwatch = await cpuUntilQuiet(pids.hookwatch, before.hookwatch);
  const perDelivery = (ms: number) => (ms * 1000) / figures.total2xx;
  return { figures, endedAt, cpu: { hookwatch: perDelivery(hookwatch), target: perDelivery(cpuMsOf(pids.target) - before.target), loadGenerator: perDelivery((own.user + own.system) / 1000) } };
}

/**
 * `npm run bench -- forward`: ingest with one fast local target (async forwarding) against ingest without
 * forwarding, in the same run (plain, forwarding, plain), with each process's CPU per delivery; that every
 * 2xx reached the target and how long the backlog took to drain after the load; the time from a lone
 * delivery's 2xx to its arrival at the target; then the target's outage (forward-outage.ts).
 */
export async function runForwardScenario(): Promise<boolean> {
  const outageS = outageSeconds();
  const children: ChildProcess[] = [];
  const dirs = [await mkdtemp(join(tmpdir(), 'hookwatch-bench-')), await mkdtemp(join(tmpdir(), 'hookwatch-bench-'))];
  const track = (child: ChildProcess) => children.push(child);
  try {
    const target = await startBenchTarget(track);
    const plain = await startBenchHookwatch(dirs[0]!, track);
    const forwarding = await startBenchHookwatch(dirs[1]!, track, { FORWARD_ALLOW_PRIVATE: 'true' });
    await forwarding.chat.ask(`forward bench ${target.url}/hook`, /forwards to/);
    const plainPids = { hookwatch: plain.child.pid!, target: target.child.pid! };

    const plain1 = await measureWithCpu(plain.webhookUrl, plainPids);
    const forwardedRun = await measureWithCpu(forwarding.webhookUrl, { hookwatch: forwarding.child.pid!, target: target.child.pid! });
    const forwarded: Row = { name: 'forwarding to 1 target', figures: forwardedRun.figures };
    const loadEnded = forwardedRun.endedAt;
    let drained = await target.arrivals();
    while (Object.keys(drained.arrivals).length < forwarded.figures.total2xx && Date.now() - loadEnded < 120_000) {
      await sleep(100);
      drained = await target.arrivals();
    }
    const lastArrival = Math.max(...Object.values(drained.arrivals));
    const plain2 = await measureWithCpu(plain.webhookUrl, plainPids);

    const runs: Row[] = [{ name: 'no forwarding, run 1', figures: plain1.figures }, { name: 'no forwarding, run 2', figures: plain2.figures }];
    const mean = meanOf('no forwarding, mean', runs);
    printTable([...runs, mean, forwarded], [mean]);
    const relayed = Object.keys(drained.arrivals).length;
    console.log(`relayed: ${relayed} of ${forwarded.figures.total2xx} answered 2xx (${drained.total} requests in all), the last ${Math.max(0, lastArrival - loadEnded)} ms after the load ended`);
    const us = (n: number) => `${Math.round(n)} µs`;
    const plainCpu = (plain1.cpu.hookwatch + plain2.cpu.hookwatch) / 2;
    console.log(
      `CPU per delivery answered: hookwatch ${us(plainCpu)} without forwarding, ${us(forwardedRun.cpu.hookwatch)} with (${(plainCpu / forwardedRun.cpu.hookwatch).toFixed(2)}x: the ratio's ceiling when CPU is what limits); ` +
        `the target ${us(forwardedRun.cpu.target)}, the load generator ${us(forwardedRun.cpu.loadGenerator)} (${us((plain1.cpu.loadGenerator + plain2.cpu.loadGenerator) / 2)} without forwarding)`,
    );

    const answeredAt = new Map<string, number>();
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const response = await fetch(forwarding.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
      const at = Date.now();
      if (response.ok) answeredAt.set(((await response.json()) as { id: string }).id, at);
      await sleep(LATENCY_INTERVAL_MS);
    }
    await sleep(1000);
    const late = (await target.arrivals()).arrivals;
    const samples = [...answeredAt].flatMap(([id, at]) => (late[id] === undefined ? [] : [Math.max(0, late[id]! - at)]));
    const latency = summarize(samples);
    console.log(`sender's 2xx -> target received, ${latency.samples} lone deliveries: p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`);

    const ratio = forwarded.figures.reqPerSec / mean.figures.reqPerSec;
    const ok = relayed >= forwarded.figures.total2xx && latency.samples === LATENCY_SAMPLES;
    console.log(`goals: ratio ${ratio.toFixed(2)}x (>= ${GOAL_RATIO}x: ${ratio >= GOAL_RATIO ? 'met' : 'missed'}), p50 ${latency.p50} ms (< ${GOAL_P50_MS} ms: ${latency.p50 < GOAL_P50_MS ? 'met' : 'missed'}), nothing lost: ${ok ? 'yes' : 'NO'}`);
    console.log('');
    await Promise.all(children.map((child) => stopChild(child)));
    return (await runForwardOutage(outageS)) && ok;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}
