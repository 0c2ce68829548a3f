import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../test/helpers/postgres-database.ts';
import { startPostgresCluster, type PostgresCluster } from '../test/helpers/postgres-cluster.ts';
import { countStoredByChat, startBenchHookwatch, type BenchHookwatch } from './bench-hookwatch.ts';
import { startBaseline, stopChild } from './children.ts';
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
  run(context: SetupContext): Promise<{ figures: LoadFigures; stored: number }>;
}

/** One hookwatch process on the given DATABASE_URL, loaded alone. */
async function oneProcess(context: SetupContext, databaseUrl: string): Promise<{ figures: LoadFigures; stored: number }> {
  const hookwatch: BenchHookwatch = await startBenchHookwatch(context.dataDir, context.track, { DATABASE_URL: databaseUrl }, REALISTIC_ENDPOINTS);
  const figures = await measure(hookwatch.webhookUrls, REALISTIC_BODIES);
  const stored = await countStoredByChat(hookwatch.chat, hookwatch.names);
  await stopChild(hookwatch.child);
  return { figures, stored };
}

export const POSTGRES_SETUPS: Setup[] = [
  { name: 'hookwatch, SQLite, 1 process', run: (context) => oneProcess(context, `sqlite://${join(context.dataDir, 'bench.sqlite')}`) },
  { name: 'hookwatch, PostgreSQL, 1 process', run: async (context) => oneProcess(context, await createDatabase(context.cluster.url)) },
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
    console.log(`postgres: ingest, ${REALISTIC_BODIES.name}, ${REALISTIC_ENDPOINTS} endpoints, on SQLite and on PostgreSQL (fsync on):`);
    const express = await startBaseline('bench/bare-express.ts', context.track);
    const before = await measure([express.webhookUrl], REALISTIC_BODIES);
    const results: Array<Row & { stored: number }> = [];
    for (const setup of POSTGRES_SETUPS) results.push({ name: setup.name, ...(await setup.run(context)) });
    const after = await measure([express.webhookUrl], REALISTIC_BODIES);
    const runs = [{ name: 'bare express, run 1', figures: before }, { name: 'bare express, run 2', figures: after }];
    const expressMean = meanOf('bare express', runs);
    printTable([...runs, expressMean, ...results], [expressMean]);
    let ok = true;
    for (const result of results) {
      process.stdout.write(`${result.name}: `);
      ok = printStoredCheck(result.figures.total2xx, result.stored) && ok;
    }
    return ok;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
    cluster.stop();
  }
}
