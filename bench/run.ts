import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countStoredByChat, startBenchHookwatch } from './bench-hookwatch.ts';
import { startBareExpress, stopChild } from './children.ts';
import { measure } from './load.ts';
import { meanOf, printHeader, printStoredCheck, printTable, type Row } from './report.ts';
import { runAlertScenario } from './alert-scenario.ts';
import { runWatchScenario } from './watch-scenario.ts';
import { runBurstScenario } from './burst-scenario.ts';
import { discordLatency } from './discord-latency.ts';
import { runLargeBodiesScenario } from './large-bodies-scenario.ts';
import { runLatencyScenario } from './latency-scenario.ts';
import { runPreviewSpeed } from './preview-speed.ts';
import { runProviderSpeed } from './provider-speed.ts';
import { slackLatency } from './slack-latency.ts';
import { runStartupTime } from './startup-time.ts';
import { telegramLatency } from './telegram-latency.ts';

/**
 * `npm run bench`: webhook ingest throughput of hookwatch against a bare express app, both
 * measured in the same run (baseline, hookwatch, baseline) so machine noise hits both. Then
 * checks that every request hookwatch answered 2xx is stored. Then the notification latency
 * scenario (latency-scenario.ts) on Telegram, Slack and Discord, and the burst (burst-scenario.ts) on
 * Telegram and Slack at once. Not part of `npm test`.
 */

const children: ChildProcess[] = [];

async function runIngest(): Promise<boolean> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-'));
  try {
    const baseline = await startBareExpress((child) => children.push(child));
    const baseline1 = await measure(baseline.webhookUrl);

    const hookwatch = await startBenchHookwatch(dataDir, (child) => children.push(child));
    const hookwatchRow: Row = { name: 'hookwatch', figures: await measure(hookwatch.webhookUrl) };
    const stored = await countStoredByChat(hookwatch.chat);
    // Stopped before the second baseline run, so notifications it may still be printing take no CPU from it.
    await stopChild(hookwatch.child);

    const baseline2 = await measure(baseline.webhookUrl);
    const runs: Row[] = [
      { name: 'bare express, run 1', figures: baseline1 },
      { name: 'bare express, run 2', figures: baseline2 },
    ];
    const mean = meanOf('bare express, mean', runs);
    printTable([...runs, mean, hookwatchRow], mean);
    return printStoredCheck(hookwatchRow.figures.total2xx, stored);
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Each one after the other, each with its own hookwatch, so none takes CPU from another's measurement. */
const scenarios: Record<string, () => Promise<boolean> | boolean> = {
  ingest: runIngest,
  telegram: () => runLatencyScenario(telegramLatency),
  slack: () => runLatencyScenario(slackLatency),
  discord: () => runLatencyScenario(discordLatency),
  burst: runBurstScenario,
  bodies: runLargeBodiesScenario,
  providers: runProviderSpeed,
  preview: runPreviewSpeed,
  startup: runStartupTime,
  alerts: runAlertScenario,
  watches: runWatchScenario,
};

/** `npm run bench` runs them all; `npm run bench -- burst slack` only those named. */
async function main(names: string[]): Promise<boolean> {
  const unknown = names.filter((name) => !(name in scenarios));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; there are: ${Object.keys(scenarios).join(', ')}`);
  printHeader();
  let ok = true;
  for (const name of names.length > 0 ? names : Object.keys(scenarios)) {
    ok = (await scenarios[name]!()) && ok;
    console.log('');
  }
  return ok;
}

main(process.argv.slice(2)).then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exitCode = 1;
  },
);
