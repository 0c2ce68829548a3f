import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { countStoredByChat, startBenchHookwatch } from './bench-hookwatch.ts';
import { peakRssMb } from './burst-probes.ts';
import { stopChild } from './children.ts';

/** The case: 40 senders at once, each with a body of the default MAX_BODY_BYTES. */
const SENDERS = 40;
const BODY_BYTES = 5 * 1024 * 1024;
const TARGET_RSS_MB = 450;
const TARGET_HEALTH_MS = 1000;
const HEALTH_EVERY_MS = 50;
const BUDGET = process.env.MAX_INFLIGHT_BODY_BYTES ?? '';
/** Senders retry a 503 (after its Retry-After) or a failed connection (after 1 s) this many times before giving up. */
const MAX_ATTEMPTS = 30;

/** JSON of many small objects, just under `bytes`: the costly kind to hold and parse. */
function jsonBody(bytes: number): Uint8Array<ArrayBuffer> {
  const item = (i: number) => JSON.stringify({ id: i, type: 'order.line', sku: `sku-${i}`, qty: i % 7 });
  const parts: string[] = [];
  let size = '{"type":"bulk.export","items":[]}'.length;
  for (let i = 0; size + item(i).length + 1 < bytes; i++) {
    parts.push(item(i));
    size += item(i).length + 1;
  }
  return new TextEncoder().encode(`{"type":"bulk.export","items":[${parts.join(',')}]}`);
}

interface SenderResult {
  firstStatus: number | 'error';
  finalStatus: number | 'error';
  attempts: number;
}

async function send(url: string, body: Uint8Array<ArrayBuffer>): Promise<SenderResult> {
  let firstStatus: SenderResult['firstStatus'] | undefined;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => undefined);
    await response?.arrayBuffer().catch(() => undefined);
    const status = response?.status ?? 'error';
    firstStatus ??= status;
    // A refused connection is retried as senders do; so is a 503, after its Retry-After.
    if ((status !== 503 && status !== 'error') || attempt === MAX_ATTEMPTS) return { firstStatus, finalStatus: status, attempts: attempt };
    await sleep(Number(response?.headers.get('retry-after') ?? 1) * 1000);
  }
}

/**
 * GET /healthz every HEALTH_EVERY_MS until told to stop; posts the slowest answer in ms. A worker
 * thread, so the 200 MB the senders push through this process's own event loop do not count.
 */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false, slowestMs = 0, probes = 0;
parentPort.once('message', () => (stop = true));
(async () => {
  while (!stop) {
    const started = performance.now();
    await fetch(workerData + '/healthz').then((response) => response.arrayBuffer(), () => undefined);
    slowestMs = Math.max(slowestMs, performance.now() - started);
    probes += 1;
    await new Promise((done) => setTimeout(done, ${HEALTH_EVERY_MS}));
  }
  parentPort.postMessage({ slowestMs, probes });
})();
`;

function probeHealth(baseUrl: string): { stop(): Promise<{ slowestMs: number; probes: number }> } {
  const worker = new Worker(PROBE, { eval: true, workerData: baseUrl });
  const result = once(worker, 'message').then(([figures]) => figures as { slowestMs: number; probes: number });
  return {
    async stop() {
      worker.postMessage('stop');
      const figures = await result;
      await worker.terminate();
      return figures;
    },
  };
}

const tally = (values: Array<number | string>) =>
  [...values.reduce((counts, value) => counts.set(value, (counts.get(value) ?? 0) + 1), new Map<number | string, number>())]
    .map(([value, count]) => `${count} × ${value}`)
    .join(', ');

/**
 * `npm run bench -- bodies`: 40 senders POST a 5 MB JSON body each at the same moment (503s retried
 * after Retry-After, as senders do), while /healthz is probed every 50 ms. Peak RSS (VmHWM) must
 * stay under 450 MB, /healthz under 1 s, and every body must end up stored.
 */
export async function runLargeBodiesScenario(): Promise<boolean> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-'));
  const children: ChildProcess[] = [];
  try {
    const hookwatch = await startBenchHookwatch(dataDir, (child) => children.push(child), { MAX_INFLIGHT_BODY_BYTES: BUDGET });
    const startRss = await peakRssMb(hookwatch.child.pid);
    const body = jsonBody(BODY_BYTES);
    const health = probeHealth(hookwatch.baseUrl);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: SENDERS }, () => send(hookwatch.webhookUrl, body)));
    const elapsedS = (performance.now() - started) / 1000;
    const { slowestMs, probes } = await health.stop();
    const peakRss = await peakRssMb(hookwatch.child.pid);
    const stored = await countStoredByChat(hookwatch.chat);

    const pass = peakRss < TARGET_RSS_MB && slowestMs < TARGET_HEALTH_MS && stored === SENDERS;
    console.log(`large bodies: ${SENDERS} senders at once, ${(body.length / 1048576).toFixed(2)} MB of JSON each, 503s retried after Retry-After`);
    console.log(`first answers: ${tally(results.map((result) => result.firstStatus))}`);
    console.log(`final answers: ${tally(results.map((result) => result.finalStatus))} after ${results.reduce((sum, result) => sum + result.attempts, 0)} attempts in ${elapsedS.toFixed(1)} s`);
    console.log(`stored: ${stored} of ${SENDERS}`);
    console.log(`peak RSS: ${peakRss.toFixed(1)} MB (${startRss.toFixed(1)} MB at start-up); target < ${TARGET_RSS_MB} MB`);
    console.log(`slowest /healthz: ${slowestMs.toFixed(0)} ms of ${probes} probes; target < ${TARGET_HEALTH_MS} ms`);
    console.log(`targets: ${pass ? 'pass' : 'FAIL'}`);
    return pass;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}
