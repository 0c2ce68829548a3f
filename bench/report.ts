import { cpus } from 'node:os';
import { relative } from 'node:path';
import { npmStartArgs, ROOT } from '../test/helpers/npm-start.ts';
import { BODY, SETTINGS, type LoadFigures } from './load.ts';
import type { LoadCost } from './process-cpu.ts';
import { REALISTIC_BODY_BYTES, REALISTIC_ENDPOINTS } from './realistic-deliveries.ts';

export interface Row {
  name: string;
  /** With its cost to the server where the scenario measured it (withCost). */
  figures: LoadFigures & Partial<LoadCost>;
}

const COLUMNS = ['server', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'];
/** The server's CPU (all threads) and the bytes it wrote (disk and sockets) per 2xx answer. */
const COST_COLUMNS = ['CPU µs/req', 'written KB/req'];

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(1);

/** The conditions, so the figures keep their context when pasted elsewhere. */
export function printHeader(): void {
  const event = process.env.npm_lifecycle_event;
  const script = `tsx ${relative(ROOT, process.argv[1] ?? 'bench/run.ts')}`;
  const cpu = cpus();
  console.log('hookwatch benchmarks: webhook ingest throughput, Telegram, Slack and Discord notification latency, a burst on Telegram and Slack');
  console.log(`command: ${event ? `npm run ${event} (${script})` : script}`);
  console.log(`hookwatch runs as npm start runs it: node ${npmStartArgs().join(' ')}`);
  console.log(`node ${process.version} on ${process.platform}/${process.arch}, ${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}`);
  console.log(
    `ingest load: autocannon, ${SETTINGS.connections} connections, POST ${Buffer.byteLength(BODY)}-byte JSON to one endpoint, then ${REALISTIC_BODY_BYTES.join(' and ')}-byte GitHub/Stripe JSON with unique event ids over ${REALISTIC_ENDPOINTS} endpoints, ` +
      `${SETTINGS.warmupSeconds} s warm-up (not counted) + ${SETTINGS.seconds} s measured per run`,
  );
  console.log('');
}

/** One column per baseline row in `ratioTo`, comparing each row's req/s to it; the cost columns when the rows have them. */
export function printTable(rows: Row[], ratioTo: Row[]): void {
  const costs = rows.some((row) => row.figures.cpuMicrosPerRequest !== undefined);
  const cells = rows.map(({ name, figures: f }) => [
    name,
    count(f.reqPerSec),
    ms(f.p50),
    ms(f.p99),
    count(f.non2xx),
    count(f.errors),
    ...(costs ? [f.cpuMicrosPerRequest === undefined ? '' : count(f.cpuMicrosPerRequest), f.writtenBytesPerRequest === undefined ? '' : (f.writtenBytesPerRequest / 1024).toFixed(1)] : []),
    ...ratioTo.map((baseline) => `${(f.reqPerSec / baseline.figures.reqPerSec).toFixed(2)}x`),
  ]);
  printAligned([...COLUMNS, ...(costs ? COST_COLUMNS : []), ...ratioTo.map((baseline) => `vs ${baseline.name}`)], cells);
}

/** A plain-text table: first column left-aligned (names), figures right-aligned so digits line up. */
export function printAligned(columns: string[], cells: string[][]): void {
  const widths = columns.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(columns));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of cells) console.log(line(row));
  console.log('');
}

/** Baseline runs folded into one row: mean of req/s and latencies, sum of failures. */
export function meanOf(name: string, rows: Row[]): Row {
  const mean = (pick: (f: Row['figures']) => number) => rows.reduce((sum, row) => sum + pick(row.figures), 0) / rows.length;
  const sum = (pick: (f: LoadFigures) => number) => rows.reduce((total, row) => total + pick(row.figures), 0);
  const costs = rows.every((row) => row.figures.cpuMicrosPerRequest !== undefined && row.figures.writtenBytesPerRequest !== undefined);
  return {
    name,
    figures: {
      ...(costs ? { cpuMicrosPerRequest: mean((f) => f.cpuMicrosPerRequest!), writtenBytesPerRequest: mean((f) => f.writtenBytesPerRequest!) } : {}),
      reqPerSec: mean((f) => f.reqPerSec),
      p50: mean((f) => f.p50),
      p99: mean((f) => f.p99),
      non2xx: sum((f) => f.non2xx),
      errors: sum((f) => f.errors),
      total2xx: sum((f) => f.total2xx),
    },
  };
}

/**
 * Every 2xx must be a stored delivery. More stored is fine: requests still in flight when a run
 * ends are stored but their answers are not counted. Returns whether the check passed.
 */
export function printStoredCheck(name: string, answered2xx: number, stored: number): boolean {
  const ok = stored >= answered2xx;
  console.log(`${name}: 2xx answers (warm-ups included): ${count(answered2xx)}`);
  console.log(`${name}: stored deliveries (its own count, "show"): ${count(stored)} -> ${ok ? 'OK, none lost' : 'FAIL: acknowledged deliveries are missing'}`);
  return ok;
}
