import { printAligned } from './report.ts';

export interface LatencySummary {
  samples: number;
  /** One decimal: finer than the whole-ms clock each sample is read from, as an average of many. */
  mean: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

/** p50 < this is the target for a lone delivery's notification on loopback. */
export const TARGET_P50_MS = 100;

export interface LatencyResult {
  baseline: number[];
  hookwatch: number[];
  /** Deliveries that got no notification of their own (merged into a summary, or missing). */
  merged: number;
  /** Summary messages seen (a notification naming several of the measured deliveries). */
  summaries: number;
  expected: number;
}

/** Nearest-rank percentile: always an observed value, no interpolation between samples. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    mean: sorted.reduce((sum, n) => sum + n, 0) / sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const ms = (n: number) => (Number.isNaN(n) ? '-' : String(Math.round(n)));

/**
 * Prints the table, the ratio and the verdicts; `method` is the API call a notification is (sendMessage,
 * chat.postMessage). Returns whether every delivery was measured on its own.
 */
export function printLatencyReport(result: LatencyResult, method: string): boolean {
  const rows: Array<[string, LatencySummary]> = [
    [`direct ${method}, bench -> fake (floor)`, summarize(result.baseline)],
    [`hookwatch: delivery 2xx -> ${method} at fake`, summarize(result.hookwatch)],
  ];
  const cells = rows.map(([name, s]) => [name, String(s.samples), ms(s.p50), ms(s.p99), ms(s.min), ms(s.max), Number.isNaN(s.mean) ? '-' : s.mean.toFixed(1)]);
  printAligned(['path', 'samples', 'p50 ms', 'p99 ms', 'min ms', 'max ms', 'mean ms'], cells);

  const [base, hook] = [rows[0]![1], rows[1]![1]];
  // Date.now() counts whole milliseconds: a floor below 1 ms reads 0 and a ratio to it means nothing.
  const ratio = base.p50 > 0 ? `${(hook.p50 / base.p50).toFixed(1)}x` : 'n/a (floor p50 below the 1 ms clock resolution)';
  console.log(`p50 ratio hookwatch / direct: ${ratio}`);
  console.log(`merged: ${result.merged} of ${result.expected} deliveries without their own notification (${result.summaries} summary messages)`);
  const verdict = hook.p50 < TARGET_P50_MS ? 'PASS' : 'OVER TARGET';
  console.log(`target p50 < ${TARGET_P50_MS} ms: ${verdict} (p50 ${ms(hook.p50)} ms)`);
  const complete = result.merged === 0 && result.hookwatch.length === result.expected;
  if (!complete) console.log('FAIL: some deliveries were not notified on their own, so the figures are incomplete');
  return complete;
}
