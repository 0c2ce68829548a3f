import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startBenchHookwatch } from './bench-hookwatch.ts';
import { startScript, stopChild, waitHealthy } from './children.ts';
import { summarize } from './latency-report.ts';
import { BODY, measure, SMALL_BODIES } from './load.ts';
import { meanOf, printTable, type Row } from './report.ts';

/** Deliveries sent one at a time, paced, to time the sender's 2xx -> the target's receipt. */
const LATENCY_SAMPLES = 200;
const LATENCY_INTERVAL_MS = 20;
/** The goals: forwarding keeps >= 0.9x of plain ingest; p50 from 2xx to the target under 20 ms. */
const GOAL_RATIO = 0.9;
const GOAL_P50_MS = 20;

type Arrivals = { total: number; arrivals: Record<string, number> };

/**
 * `npm run bench -- forward`: ingest with one fast local target (async forwarding) against ingest without
 * forwarding, in the same run (plain, forwarding, plain); that every 2xx reached the target and how long the
 * backlog took to drain after the load; then the time from a lone delivery's 2xx to its arrival at the target.
 */
export async function runForwardScenario(): Promise<boolean> {
  const children: ChildProcess[] = [];
  const dirs = [await mkdtemp(join(tmpdir(), 'hookwatch-bench-')), await mkdtemp(join(tmpdir(), 'hookwatch-bench-'))];
  try {
    const port = await freePort();
    const target = startScript('bench/relay-target.ts', { PORT: String(port) });
    children.push(target);
    const targetUrl = `http://127.0.0.1:${port}`;
    await waitHealthy(targetUrl, target);
    const arrivals = async () => (await (await fetch(`${targetUrl}/arrivals`)).json()) as Arrivals;

    const plain = await startBenchHookwatch(dirs[0]!, (child) => children.push(child));
    const forwarding = await startBenchHookwatch(dirs[1]!, (child) => children.push(child), { FORWARD_ALLOW_PRIVATE: 'true' });
    await forwarding.chat.ask(`forward bench ${targetUrl}/hook`, /forwards to/);

    const plain1 = await measure([plain.webhookUrl], SMALL_BODIES);
    const forwarded: Row = { name: 'forwarding to 1 target', figures: await measure([forwarding.webhookUrl], SMALL_BODIES) };
    const loadEnded = Date.now();
    let drained = await arrivals();
    while (Object.keys(drained.arrivals).length < forwarded.figures.total2xx && Date.now() - loadEnded < 120_000) {
      await sleep(100);
      drained = await arrivals();
    }
    const drainMs = Date.now() - loadEnded;
    const plain2 = await measure([plain.webhookUrl], SMALL_BODIES);

    const runs: Row[] = [{ name: 'no forwarding, run 1', figures: plain1 }, { name: 'no forwarding, run 2', figures: plain2 }];
    const mean = meanOf('no forwarding, mean', runs);
    printTable([...runs, mean, forwarded], [mean]);
    const relayed = Object.keys(drained.arrivals).length;
    console.log(`relayed: ${relayed} of ${forwarded.figures.total2xx} answered 2xx (${drained.total} requests in all), the last ${drainMs} ms after the load ended`);

    const answeredAt = new Map<string, number>();
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const response = await fetch(forwarding.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
      const at = Date.now();
      if (response.ok) answeredAt.set(((await response.json()) as { id: string }).id, at);
      await sleep(LATENCY_INTERVAL_MS);
    }
    await sleep(1000);
    const late = (await arrivals()).arrivals;
    const samples = [...answeredAt].flatMap(([id, at]) => (late[id] === undefined ? [] : [Math.max(0, late[id]! - at)]));
    const latency = summarize(samples);
    console.log(`sender's 2xx -> target received, ${latency.samples} lone deliveries: p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`);

    const ratio = forwarded.figures.reqPerSec / mean.figures.reqPerSec;
    const ok = relayed >= forwarded.figures.total2xx && latency.samples === LATENCY_SAMPLES;
    console.log(`goals: ratio ${ratio.toFixed(2)}x (>= ${GOAL_RATIO}x: ${ratio >= GOAL_RATIO ? 'met' : 'missed'}), p50 ${latency.p50} ms (< ${GOAL_P50_MS} ms: ${latency.p50 < GOAL_P50_MS ? 'met' : 'missed'}), nothing lost: ${ok ? 'yes' : 'NO'}`);
    return ok;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}
