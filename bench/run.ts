import { runAlertScenario } from './alert-scenario.ts';
import { runIngest } from './ingest-scenario.ts';
import { printHeader } from './report.ts';
import { runWatchScenario } from './watch-scenario.ts';
import { runBurstScenario } from './burst-scenario.ts';
import { discordLatency } from './discord-latency.ts';
import { runForwardScenario } from './forward-scenario.ts';
import { runLargeBodiesScenario } from './large-bodies-scenario.ts';
import { runFindSpeed } from './find-speed.ts';
import { runLatencyScenario } from './latency-scenario.ts';
import { runPostgresScenario } from './postgres-scenario.ts';
import { runPreviewSpeed } from './preview-speed.ts';
import { runProviderSpeed } from './provider-speed.ts';
import { runSoakScenario } from './soak-scenario.ts';
import { slackLatency } from './slack-latency.ts';
import { runStartupTime } from './startup-time.ts';
import { telegramLatency } from './telegram-latency.ts';

/**
 * `npm run bench`: webhook ingest throughput of hookwatch against bare express and bare node:http,
 * all measured in the same run (ingest-scenario.ts). Then the notification latency
 * scenario (latency-scenario.ts) on Telegram, Slack and Discord, and the burst (burst-scenario.ts) on
 * Telegram and Slack at once. Not part of `npm test`.
 */

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
  find: runFindSpeed,
  forward: runForwardScenario,
  soak: runSoakScenario,
  watches: runWatchScenario,
  postgres: runPostgresScenario,
};
/** Scenarios run only when named: they take long. */
const ON_REQUEST = new Set(['soak']);

/** `npm run bench` runs them all; `npm run bench -- burst slack` only those named. */
async function main(names: string[]): Promise<boolean> {
  const unknown = names.filter((name) => !(name in scenarios));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; there are: ${Object.keys(scenarios).join(', ')}`);
  printHeader();
  let ok = true;
  for (const name of names.length > 0 ? names : Object.keys(scenarios).filter((name) => !ON_REQUEST.has(name))) {
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
