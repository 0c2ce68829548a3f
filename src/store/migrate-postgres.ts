import type pg from 'pg';

/** The store's one table (see postgres-store.ts for why these columns). */
export const KV_TABLE = 'hookwatch_kv';
const MIGRATIONS_TABLE = 'hookwatch_migrations';
/** Any fixed number: the advisory lock every starting process takes before it looks at the schema. */
const MIGRATION_LOCK = 0x686f6f6b; // "hook"

/** Schema changes in order; a version, once released, never changes: a new change is a new entry. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'key-value table',
    // COLLATE "C" on the key: byte order for comparisons, ORDER BY and the primary key's index, whatever
    // the database's default collation (an en-US one sorts `a_b a-b A-c ab aB` differently).
    sql: `CREATE TABLE ${KV_TABLE} (
      key text COLLATE "C" PRIMARY KEY,
      value jsonb,
      bytes bytea,
      json_text text,
      CHECK (num_nonnulls(value, bytes, json_text) = 1)
    )`,
  },
  { version: 2, name: 'words column', sql: `ALTER TABLE ${KV_TABLE} ADD COLUMN words text` },
];

/**
 * Brings the schema up to date. Each migration runs once, in its own transaction, which first takes
 * a transaction-level advisory lock: processes starting together wait for each other, and the one
 * that gets the lock second sees the version the first recorded and skips it.
 */
export async function migratePostgres(pool: pg.Pool, migrations = MIGRATIONS): Promise<void> {
  for (const migration of migrations) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = await client.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE version = $1`, [migration.version]);
      if (applied.rowCount === 0) {
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      }
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw error;
    }
  }
}
