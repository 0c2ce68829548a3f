import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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
 * storing each body durably), hookwatch (and, with 30 endpoints, hookwatch with them muted: storing
 * without notifying), then the baselines again, so machine noise hits all of them;
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

    const notified = await runHookwatch(join(dataDir, 'notified'), track, shape, endpoints, false);
    // With many endpoints, once more with them muted: what storing costs without telling a chat of each delivery.
    const muted = endpoints > 1 ? await runHookwatch(join(dataDir, 'muted'), track, shape, endpoints, true) : undefined;

    const second = await runBaselines(2);
    const means = BASELINES.map(([name], i) => meanOf(name, [first[i]!, second[i]!]));
    printTable([...first, ...second, ...means, notified.row, ...(muted ? [muted.row] : [])], means);
    let ok = true;
    for (const run of muted ? [notified, muted] : [notified]) {
      if (run.memory) console.log(`${run.row.name} RSS over its run: ${run.memory.first.toFixed(0)} MB at the start, ${run.memory.peak.toFixed(0)} MB at the peak, ${run.memory.last.toFixed(0)} MB at the end`);
      ok = printStoredCheck(run.row.name, run.row.figures.total2xx, run.stored) && ok;
    }
    return ok;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** hookwatch on a fresh database under the load, with its endpoints muted or not; stopped before it returns, so what it still prints takes no CPU from the next run. */
async function runHookwatch(dataDir: string, track: (child: ChildProcess) => void, shape: LoadShape, endpoints: number, mute: boolean) {
  await mkdir(dataDir);
  const hookwatch = await startBenchHookwatch(dataDir, track, {}, endpoints);
  if (mute) for (const name of hookwatch.names) await hookwatch.chat.ask(`mute ${name}`, new RegExp(`\\b${name} muted`));
  const rss = sampleRss(hookwatch.child.pid!);
  const row: Row = { name: mute ? 'hookwatch, muted' : 'hookwatch', figures: await withCost(hookwatch.child.pid!, () => measure(hookwatch.webhookUrls, shape)) };
  const memory = rss.stop();
  const stored = await countStoredByChat(hookwatch.chat, hookwatch.names);
  await stopChild(hookwatch.child);
  return { row, memory, stored };
}
