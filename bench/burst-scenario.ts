import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { coverageOf, gapsOf, slackChat, telegramChat, type BurstChat, type Coverage } from './burst-chats.ts';
import { countStored, peakRssMb } from './burst-probes.ts';
import { printBurstConditions, printBurstReport, type BurstResult, type Pushback } from './burst-report.ts';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startBareExpress, stopChild, waitHealthy } from './children.ts';
import { databaseUrlIn, spawnHookwatch, withDeadline } from './latency-rig.ts';
import { pacedLoad, type Pace, type PacedResult } from './paced-load.ts';
import { slackLatency } from './slack-latency.ts';
import { telegramLatency } from './telegram-latency.ts';

/** The burst: 5,000 deliveries per chat in 10 s. */
const PACE: Pace = { perSecond: 1_000, seconds: 10, connections: 32 };
const PUSHBACK: Pushback = { delayMs: 50, count429: 3, retryAfterSeconds: 1 };
/** How long the chats may take to report the backlog after the burst. */
const DRAIN_MS = 25_000;
/** The hookwatch part; with the ~10 s baseline before it, the scenario stays under a minute. */
const DEADLINE_MS = 48_000;

/** The same schedule against bare express, alone, so hookwatch's p99 has a floor to compare with. */
async function baselineRun(): Promise<PacedResult> {
  const children: ChildProcess[] = [];
  try {
    const { webhookUrl } = await startBareExpress((child) => children.push(child));
    return await pacedLoad([webhookUrl], PACE);
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
  }
}

/** Polls until each chat's messages account for every id answered to its endpoint, or DRAIN_MS passed. */
async function awaitCoverage(chats: BurstChat[], ids: string[][], signal: AbortSignal): Promise<{ coverage: Coverage[]; drainMs: number }> {
  const started = Date.now();
  for (;;) {
    signal.throwIfAborted();
    const coverage = chats.map((chat, i) => coverageOf(chat.notices(), ids[i]!));
    if (coverage.every(({ missing }) => missing === 0)) return { coverage, drainMs: Date.now() - started };
    if (Date.now() - started >= DRAIN_MS) return { coverage, drainMs: Number.NaN };
    await sleep(250);
  }
}

/**
 * Everything it starts is pushed on `cleanup` before it can fail, so the caller always stops it. Once the
 * caller gives up it aborts `signal`: this then stops too, rather than poll a dead child or recreate the data dir.
 */
async function burst(dataDir: string, cleanup: Array<() => Promise<unknown>>, baseline: PacedResult, signal: AbortSignal): Promise<BurstResult> {
  const telegram = await telegramLatency.startFake();
  cleanup.push(() => telegram.stop());
  const slack = await slackLatency.startFake();
  cleanup.push(() => slack.stop());
  const port = await freePort();
  // A high retention, so no delivery is pruned before it is counted; the injected 429s' warnings would bury the figures.
  const env = { ...telegramLatency.env(telegram), ...slackLatency.env(slack), RETENTION_DELIVERIES: '100000', LOG_LEVEL: 'error' };
  const child = spawnHookwatch(dataDir, port, env);
  cleanup.push(() => stopChild(child));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, child);
  const chats = [await telegramChat(telegram, baseUrl), await slackChat(slack, baseUrl)];

  // Only now, so the replies to /new went out unhindered.
  for (const { fake } of chats) {
    fake.setDelay(PUSHBACK.delayMs);
    fake.inject429(PUSHBACK.count429, PUSHBACK.retryAfterSeconds);
  }
  const idleRss = await peakRssMb(child.pid); // what start-up alone took, to tell the burst's share
  const load = await pacedLoad(chats.map(({ url }) => url), PACE, signal);
  const { coverage, drainMs } = await awaitCoverage(chats, load.ids, signal);
  const peak = await peakRssMb(child.pid); // before the child stops: /proc forgets it then
  signal.throwIfAborted();
  const stored = await countStored(databaseUrlIn(dataDir));
  const figures = chats.map((chat, i) => ({
    name: chat.name,
    sent: PACE.perSecond * PACE.seconds / chats.length,
    answered: load.ids[i]!.length,
    coverage: coverage[i]!,
    got429: chat.fake.calls.filter(({ status }) => status === 429).length,
    pace: gapsOf(chat.attempts()),
  }));
  return { chats: figures, burst: load, baseline, stored, rssMb: { idle: idleRss, peak }, drainMs };
}

/** The burst scenario of `npm run bench`; false only if a delivery answered 2xx was lost. */
export async function runBurstScenario(): Promise<boolean> {
  printBurstConditions(PACE, PUSHBACK, 2);
  // First and alone: hookwatch and the fakes are not running yet to take CPU from it.
  const baseline = await baselineRun();
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-burst-bench-'));
  const cleanup: Array<() => Promise<unknown>> = [];
  const giveUp = new AbortController();
  try {
    const result = await withDeadline(burst(dataDir, cleanup, baseline, giveUp.signal), DEADLINE_MS, 'the burst scenario');
    return printBurstReport(result);
  } finally {
    giveUp.abort();
    // Last started, first stopped: hookwatch before the fakes, as a polling bot stops cleanly only while its fake answers.
    for (const stop of cleanup.reverse()) await stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
