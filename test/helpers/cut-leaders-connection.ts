import pg from 'pg';
import { LEADER_LOCK_KEY } from '../../src/cluster/create-leader-lock.ts';

/**
 * Ends the server process of the connection that holds leadership on this database, as a network cut
 * would; how many it ended (1 while someone leads). A bigint advisory key shows in pg_locks as its two
 * 32-bit halves, and other tests' databases have leaders of their own.
 */
export async function cutLeadersConnection(databaseUrl: string): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [Math.floor(LEADER_LOCK_KEY / 2 ** 32), LEADER_LOCK_KEY % 2 ** 32],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}
