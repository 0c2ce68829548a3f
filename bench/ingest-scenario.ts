import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countStoredByChat, startBenchHookwatch } from './bench-hookwatch.ts';
import { startBaseline, stopChild } from './children.ts';
import { measure, REALISTIC_BODIES, SMALL_BODIES, type LoadShape } from './load.ts';
import { withCost } from './process-cpu.ts';
import { REALISTIC_ENDPOINTS } from './realistic-deliveries.ts';
import { meanOf, printStoredCheck, printTable, type Row } from './report.ts';
import { sampleRss } from './rss-sampler.ts';
import { measureStorageCost } from './storage-cost.ts';

/**
 * Ingest throughput, once per load shape (the 120-byte body to one endpoint; realistic 1-2 KB bodies
 * with unique event ids over 30 endpoints): the baselines (bare express, bare node:http, node:http
 * storing each body durably), hookwatch, then the baselines again, so machine noise hits all of them;
 * each server's CPU and bytes written per request, hookwatch's RSS over its run, and the check that
 * every 2xx is stored. Then, in-process, statements and bytes per realistic delivery.
 */
export async function runIngest(): Promise<boolean> {
  let ok = true;
  for (const [shape, endpoints] of [[SMALL_BODIES, 1], [REALISTIC_BODIES, REALISTIC_ENDPOINTS]] as const) ok = (await runShape(shape, endpoints)) && ok;
  await measureStorageCost();
  return ok;
}

/** The baselines, each the least of its kind: express, node:http, and node:http that stores each body durably first. */
const BASELINES = [
  ['bare express', 'bench/bare-express.ts'],
  ['bare node:http', 'bench/bare-node.ts'],
  ['durable node:http', 'bench/bare-durable-node.ts'],
] as const;

async function runShape(shape: LoadShape, endpoints: number): Promise<boolean> {
  const children: ChildProcess[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-'));
  const track = (child: ChildProcess) => children.push(child);
  try {
    console.log(`ingest, ${shape.name}, ${endpoints} endpoint${endpoints === 1 ? '' : 's'}:`);
    const baselines = await Promise.all(BASELINES.map(([, script]) => startBaseline(script, track)));
    const runBaselines = async (run: number) => {
      const rows: Row[] = [];
      for (const [i, baseline] of baselines.entries()) rows.push({ name: `${BASELINES[i]![0]}, run ${run}`, figures: await withCost(baseline.child.pid!, () => measure([baseline.webhookUrl], shape)) });
      return rows;
    };
    const first = await runBaselines(1);

    const hookwatch = await startBenchHookwatch(dataDir, track, {}, endpoints);
    const rss = sampleRss(hookwatch.child.pid!);
    const hookwatchRow: Row = { name: 'hookwatch', figures: await withCost(hookwatch.child.pid!, () => measure(hookwatch.webhookUrls, shape)) };
    const memory = rss.stop();
    const stored = await countStoredByChat(hookwatch.chat, hookwatch.names);
    // Stopped before the second baseline runs, so notifications it may still be printing take no CPU from them.
    await stopChild(hookwatch.child);

    const second = await runBaselines(2);
    const means = BASELINES.map(([name], i) => meanOf(name, [first[i]!, second[i]!]));
    printTable([...first, ...second, ...means, hookwatchRow], means);
    if (memory) console.log(`hookwatch RSS over its run: ${memory.first.toFixed(0)} MB at the start, ${memory.peak.toFixed(0)} MB at the peak, ${memory.last.toFixed(0)} MB at the end`);
    return printStoredCheck(hookwatchRow.figures.total2xx, stored);
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}
