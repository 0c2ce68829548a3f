import type { Coverage, gapsOf } from './burst-chats.ts';
import { summarize } from './latency-report.ts';
import type { Pace, PacedResult } from './paced-load.ts';
import { printAligned } from './report.ts';

/** How the chats push back during the burst. */
export interface Pushback {
  delayMs: number;
  count429: number;
  retryAfterSeconds: number;
}

export interface ChatFigures {
  name: string;
  sent: number;
  answered: number;
  coverage: Coverage;
  got429: number;
  /** hookwatch's notification attempts in the chat and how they kept to its pace. */
  pace: ReturnType<typeof gapsOf>;
}

export interface BurstResult {
  chats: ChatFigures[];
  burst: PacedResult;
  baseline: PacedResult;
  stored: number;
  /** hookwatch's peak resident set: before the burst (start-up's share) and at the end. */
  rssMb: { idle: number; peak: number };
  /** From the burst's last answer until every answered delivery was in a chat message (NaN: never, within the wait). */
  drainMs: number;
}

const TARGET_RSS_MB = 200;
const TARGET_P99_MS = 50;

const count = (n: number) => n.toLocaleString('en-US');
const fixed = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(1));

export function printBurstConditions(pace: Pace, pushback: Pushback, chatCount: number): void {
  const total = pace.perSecond * pace.seconds;
  console.log('Burst: hookwatch with Telegram and Slack on, against both fakes in the bench process, loopback');
  console.log(`${chatCount} endpoints, one per chat (a Telegram private chat, a Slack channel), ${count(total / chatCount)} deliveries to each = ${count(total)} POSTs`);
  console.log(`pace: ${count(pace.perSecond)} req/s in all for ${pace.seconds} s, endpoints alternating, at most ${pace.connections} requests in flight (node:http, keep-alive)`);
  console.log(`both chats push back: sends answered after ${pushback.delayMs} ms, the first ${pushback.count429} answered 429 (retry after ${pushback.retryAfterSeconds} s)`);
  console.log('receiver latency = POST sent -> whole answer read, per request (performance.now()); max lag = latest start behind its slot');
  console.log('baseline: the same schedule against bare express (bare-express.ts), run on its own first');
  console.log('');
}

function printChats(chats: ChatFigures[]): void {
  const cells = chats.map((c) => [c.name, count(c.sent), count(c.answered), count(c.coverage.individually), count(c.coverage.summarized), String(c.coverage.summaries), count(c.coverage.missing), String(c.got429), String(c.pace.attempts), fixed(c.pace.minGapMs), String(c.pace.breaches)]);
  printAligned(['chat', 'sent', '2xx', 'alone', 'in summaries', 'summary msgs', 'not reported', '429s', 'attempts', 'min gap ms', 'breaches'], cells);
}

function printReceiver(result: BurstResult): number {
  const rows: Array<[string, PacedResult]> = [['bare express (baseline)', result.baseline], ['hookwatch, chats throttled', result.burst]];
  const cells = rows.map(([name, run]) => {
    const s = summarize(run.latencies);
    const sent = run.ok + run.non2xx + run.errors;
    return [name, fixed(s.p50), fixed(s.p99), fixed(s.max), count(run.non2xx), count(run.errors), count(Math.round(sent / run.seconds)), fixed(run.maxLagMs)];
  });
  printAligned(['receiver', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'req/s', 'max lag ms'], cells);
  const [base, hook] = rows.map(([, run]) => summarize(run.latencies).p99);
  console.log(`p99 ratio hookwatch / bare express: ${(hook! / base!).toFixed(1)}x`);
  return hook!;
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'OVER TARGET');

/** Prints the figures and a verdict per target. Returns false only if a delivery answered 2xx was lost. */
export function printBurstReport(result: BurstResult): boolean {
  const { chats, stored, rssMb, drainMs } = result;
  const sum = (pick: (c: ChatFigures) => number) => chats.reduce((total, c) => total + pick(c), 0);
  const [sent, answered, missing, breaches] = [sum((c) => c.sent), sum((c) => c.answered), sum((c) => c.coverage.missing), sum((c) => c.pace.breaches)];
  printChats(chats);
  const lost = stored < answered || missing > 0;
  console.log(`received 2xx: ${count(answered)} of ${count(sent)}; stored deliveries (SQLite, delivery:*): ${count(stored)}`);
  console.log(Number.isNaN(drainMs) ? `not reported after the wait: ${count(missing)}` : `every answered delivery reported ${(drainMs / 1000).toFixed(1)} s after the burst's last answer`);
  console.log(`429s received: ${chats.map((c) => `${c.name} ${c.got429}`).join(', ')}; peak RSS of hookwatch (VmHWM): ${fixed(rssMb.peak)} MB (${fixed(rssMb.idle)} MB before the burst)`);
  console.log('');
  const p99 = printReceiver(result);
  console.log(`target all ${count(sent)} stored and reported: ${verdict(answered === sent && !lost)}`);
  console.log(`target 0 platform-limit breaches: ${verdict(breaches === 0)} (${breaches})`);
  console.log(`target peak RSS < ${TARGET_RSS_MB} MB: ${verdict(rssMb.peak < TARGET_RSS_MB)} (${fixed(rssMb.peak)} MB)`);
  console.log(`target receiver p99 < ${TARGET_P99_MS} ms while the chats are throttled: ${verdict(p99 < TARGET_P99_MS)} (${fixed(p99)} ms)`);
  if (lost) console.log('FAIL: deliveries answered 2xx are missing from the store or from every chat message');
  return !lost;
}
