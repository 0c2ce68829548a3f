import KeyvSqlite from '@keyv/sqlite';

export class StoreLockedError extends Error {
  override name = 'StoreLockedError';
}

/**
 * One process per SQLite file, until a store made for several (PostgreSQL) lands: two processes
 * on one file lose consistency (caches, outbox, pacing are per process). The lock is SQLite's own
 * exclusive lock on `<file>.lock`, held by an open transaction for the life of the connection: the
 * OS drops it when the process ends, kill -9 included, so a crash never leaves a stale lock.
 */
export async function lockDatabaseFile(path: string): Promise<{ release(): Promise<void> }> {
  const lockPath = `${path}.lock`;
  const adapter = new KeyvSqlite({ uri: `sqlite://${lockPath}` });
  adapter.on('error', () => undefined); // a refused lock is read from the query below
  try {
    await adapter.query('BEGIN EXCLUSIVE');
  } catch (error) {
    await adapter.close().catch(() => undefined);
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new StoreLockedError(
      `Another hookwatch process is using ${path} (it holds ${lockPath}): stop it first, or give this one its own DATABASE_URL. Two processes on one SQLite file would lose consistency.`,
    );
  }
  return { release: () => adapter.close() };
}
