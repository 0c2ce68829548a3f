import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../test/helpers/postgres-database.ts';
import { startPostgresCluster, type PostgresCluster } from '../test/helpers/postgres-cluster.ts';
import { countStoredByChat, startBenchHookwatch, type BenchHookwatch } from './bench-hookwatch.ts';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startBaseline, startHookwatchProcess, stopChild, waitHealthy } from './children.ts';
import { attachConsoleChat } from './console-chat.ts';
import { measure, REALISTIC_BODIES, type LoadFigures } from './load.ts';
import { REALISTIC_ENDPOINTS } from './realistic-deliveries.ts';
import { meanOf, printStoredCheck, printTable, type Row } from './report.ts';

/** What a setup gets: a folder for SQLite files, the cluster for databases, and `track` for every child it starts. */
interface SetupContext {
  dataDir: string;
  cluster: PostgresCluster;
  track: (child: ChildProcess) => void;
}

/**
 * One way of running hookwatch under the ingest load: started, loaded through `urls` (several
 * processes may share the load), its stored count taken, stopped. A setup with more processes or a
 * failover is one more entry here.
 */
interface Setup {
  name: string;
  run(context: SetupContext): Promise<{ figures: LoadFigures; stored: number; failoverMs?: number }>;
}

/** One hookwatch process on the given DATABASE_URL, loaded alone. */
async function oneProcess(context: SetupContext, databaseUrl: string): Promise<{ figures: LoadFigures; stored: number }> {
  const hookwatch: BenchHookwatch = await startBenchHookwatch(context.dataDir, context.track, { DATABASE_URL: databaseUrl }, REALISTIC_ENDPOINTS);
  const figures = await measure(hookwatch.webhookUrls, REALISTIC_BODIES);
  const stored = await countStoredByChat(hookwatch.chat, hookwatch.names);
  await stopChild(hookwatch.child);
  return { figures, stored };
}

/**
 * Two hookwatch processes on one PostgreSQL database, each loaded by its own autocannon at the same time
 * (throughput summed), endpoints made through the first one's console chat (it leads, so its chat runs).
 * Then the failover: kill -9 of the leader, one delivery to the other, and the time until the other
 * prints a notification (it must take the lead and start the leader's work first).
 */
async function twoProcesses(context: SetupContext): Promise<{ figures: LoadFigures; stored: number; failoverMs: number }> {
  const databaseUrl = await createDatabase(context.cluster.url);
  const leader = await startBenchHookwatch(context.dataDir, context.track, { DATABASE_URL: databaseUrl }, REALISTIC_ENDPOINTS);
  const port = await freePort();
  const other = startHookwatchProcess({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, RETENTION_DELIVERIES: '10000000', LOG_LEVEL: 'warn' });
  context.track(other);
  const otherChat = attachConsoleChat(other);
  const otherUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(otherUrl, other);
  const otherUrls = leader.webhookUrls.map((url) => `${otherUrl}${new URL(url).pathname}`);

  const both = await Promise.all([measure(leader.webhookUrls, REALISTIC_BODIES), measure(otherUrls, REALISTIC_BODIES)]);
  const figures = sumFigures(both);
  const stored = await countStoredByChat(leader.chat, leader.names);

  // The leader's outbox drained (the console chat has no pace), so the next notification is the new delivery's.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const notified = otherChat.waitFor(/^== (bench\d* · POST \/|\d+ deliveries in .*) ==$/, 30_000);
  const killedAt = performance.now();
  leader.child.kill('SIGKILL');
  const { headers, body } = REALISTIC_BODIES.request(0);
  await fetch(otherUrls[0]!, { method: 'POST', headers, body });
  await notified;
  const failoverMs = performance.now() - killedAt;
  await stopChild(other);
  return { figures, stored, failoverMs };
}

/** Two loads at once as one: requests and answers added, latencies the worse of the two. */
function sumFigures(parts: LoadFigures[]): LoadFigures {
  const sum = (pick: (figures: LoadFigures) => number) => parts.reduce((total, figures) => total + pick(figures), 0);
  const worst = (pick: (figures: LoadFigures) => number) => Math.max(...parts.map(pick));
  return { reqPerSec: sum((f) => f.reqPerSec), p50: worst((f) => f.p50), p99: worst((f) => f.p99), non2xx: sum((f) => f.non2xx), errors: sum((f) => f.errors), total2xx: sum((f) => f.total2xx) };
}

export const POSTGRES_SETUPS: Setup[] = [
  { name: 'hookwatch, SQLite, 1 process', run: (context) => oneProcess(context, `sqlite://${join(context.dataDir, 'bench.sqlite')}`) },
  { name: 'hookwatch, PostgreSQL, 1 process', run: async (context) => oneProcess(context, await createDatabase(context.cluster.url)) },
  { name: 'hookwatch, PostgreSQL, 2 processes', run: twoProcesses },
];

/**
 * `npm run bench -- postgres`: ingest of the realistic load (ingest-scenario.ts's) on SQLite and on
 * PostgreSQL in the same run, each as a ratio to bare express measured before and after them. The
 * cluster is a throwaway one like the tests' (test/helpers/postgres-cluster.ts), but with fsync and
 * synchronous commit on: both stores answer a webhook only once it is durable.
 */
export async function runPostgresScenario(): Promise<boolean> {
  const cluster = await startPostgresCluster({ durable: true });
  if (!cluster) {
    console.log('postgres: skipped, no PostgreSQL installed (apt-get install postgresql)');
    return true;
  }
  const children: ChildProcess[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-bench-pg-'));
  const context: SetupContext = { dataDir, cluster, track: (child) => children.push(child) };
  try {
    console.log(`postgres: ingest, ${REALISTIC_BODIES.name}, ${REALISTIC_ENDPOINTS} endpoints, on SQLite and on PostgreSQL with one and two processes (fsync on):`);
    const express = await startBaseline('bench/bare-express.ts', context.track);
    const before = await measure([express.webhookUrl], REALISTIC_BODIES);
    const results: Array<Row & { stored: number; failoverMs?: number }> = [];
    for (const setup of POSTGRES_SETUPS) results.push({ name: setup.name, ...(await setup.run(context)) });
    const after = await measure([express.webhookUrl], REALISTIC_BODIES);
    const runs = [{ name: 'bare express, run 1', figures: before }, { name: 'bare express, run 2', figures: after }];
    const expressMean = meanOf('bare express', runs);
    printTable([...runs, expressMean, ...results], [expressMean]);
    const [sqlite, , two] = results;
    if (sqlite && two) console.log(`2 processes on PostgreSQL vs 1 on SQLite: ${(two.figures.reqPerSec / sqlite.figures.reqPerSec).toFixed(2)}x (goal >= 1.0x)`);
    for (const result of results) if (result.failoverMs !== undefined) console.log(`${result.name}: failover, kill -9 of the leader to the next notification: ${Math.round(result.failoverMs)} ms (goal < 15 s)`);
    let ok = true;
    for (const result of results) ok = printStoredCheck(result.name, result.figures.total2xx, result.stored) && ok;
    return ok;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
    cluster.stop();
  }
}
