import sqlite3 from 'sqlite3';

/** Prepared statements kept per connection: the fixed ones, and the shapes of batched writes that recur. */
const CACHED_STATEMENTS = 200;

export interface SqliteConnection {
  /** Runs one statement with its parameters; the rows it returns. */
  query<Row>(sql: string, params: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

interface Kept {
  prepared: Promise<sqlite3.Statement>;
  /** Runs under way: an evicted statement is finalized when the last one ends. */
  running: number;
  evicted: boolean;
}

/**
 * One node-sqlite3 connection whose statements are prepared once and kept (by their SQL, the least
 * recently used going first). A statement made afresh costs a trip to SQLite's thread and back to
 * prepare it and another to finalize it, each waiting for the event loop between ingest work; a kept
 * one runs in one trip.
 */
export async function openSqliteConnection(path: string, busyTimeoutMs: number): Promise<SqliteConnection> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(opened)));
  });
  db.configure('busyTimeout', busyTimeoutMs);
  const statements = new Map<string, Kept>();

  const finalize = (kept: Kept) => kept.prepared.then((statement) => new Promise<void>((resolve) => statement.finalize(() => resolve())), () => undefined);

  /** The kept statement, or a new one; one SQLite refuses to prepare is not kept, and its caller gets the reason. */
  function statementFor(sql: string): Kept {
    const found = statements.get(sql);
    if (found) {
      statements.delete(sql);
      statements.set(sql, found);
      return found;
    }
    const kept: Kept = {
      prepared: new Promise<sqlite3.Statement>((resolve, reject) => {
        const statement = db.prepare(sql, (error: Error | null) => (error ? reject(error) : resolve(statement)));
      }),
      running: 0,
      evicted: false,
    };
    kept.prepared.catch(() => statements.get(sql) === kept && statements.delete(sql));
    statements.set(sql, kept);
    if (statements.size > CACHED_STATEMENTS) {
      const [oldest, dropped] = statements.entries().next().value as [string, Kept];
      statements.delete(oldest);
      dropped.evicted = true;
      if (dropped.running === 0) void finalize(dropped);
    }
    return kept;
  }

  return {
    async query<Row>(sql: string, params: unknown[]) {
      const kept = statementFor(sql);
      kept.running += 1;
      try {
        const statement = await kept.prepared;
        return await new Promise<Row[]>((resolve, reject) => {
          statement.all(params, (error: Error | null, rows: Row[]) => (error ? reject(error) : resolve(rows)));
        });
      } finally {
        kept.running -= 1;
        if (kept.evicted && kept.running === 0) void finalize(kept);
      }
    },
    async close() {
      await Promise.all([...statements.values()].map(finalize));
      statements.clear();
      await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
