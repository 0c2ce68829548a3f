import type { Logger } from '../logger.ts';
import type { Cluster } from './cluster.ts';
import { createPostgresCluster } from './create-postgres-cluster.ts';
import { createSoloCluster } from './create-solo-cluster.ts';

/** The cluster DATABASE_URL implies: PostgreSQL's processes share one, SQLite's one process is its own. */
export function openCluster(databaseUrl: string, logger: Logger, options: { tryEveryMs?: number } = {}): Cluster {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? createPostgresCluster({ url: databaseUrl, logger, ...options }) : createSoloCluster();
}
