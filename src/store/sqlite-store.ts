import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { createGroupCommit } from './group-commit.ts';
import { prefixEnd, type KeyValueStore, type ScanOptions, type WriteOp } from './key-value-store.ts';
import { lockDatabaseFile } from './lock-database-file.ts';

const NAMESPACE = 'hw';
const TABLE = 'keyv';
/** Ops per commit; each op is a few rows and SQLite allows 32,766 bound parameters. */
const MAX_OPS_PER_COMMIT = 1000;

/** keyv's on-disk shape, `{"value":…}` as JSON, written here too so `keyv.get` reads our rows. */
const encodeRow = (value: unknown) => JSON.stringify({ value });
const decodeRow = (text: string): unknown => (JSON.parse(text) as { value: unknown }).value;

type Row = { key: string; value?: string };

/**
 * keyv on @keyv/sqlite, in WAL mode. Single reads go through keyv; multi-row writes and prefix
 * scans are issued through the adapter's own `query`, in keyv's row format. With `exclusive` (the
 * service) no other process may open the file the same way while this one runs.
 */
export async function createSqliteStore(databaseUrl: string, options: { exclusive?: boolean } = {}): Promise<KeyValueStore> {
  const path = databaseUrl.replace(/^sqlite:\/\//, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const lock = options.exclusive && path !== ':memory:' ? await lockDatabaseFile(path) : undefined;
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: TABLE, busyTimeout: 5000 });
  const keyv = new Keyv({ store: adapter, namespace: NAMESPACE, serialize: encodeRow, deserialize: (text: string) => JSON.parse(text), throwOnErrors: true });
  const query = (sql: string, ...params: unknown[]) => adapter.query(sql, ...params) as Promise<Row[]>;
  const full = (key: string) => `${NAMESPACE}:${key}`;
  const short = (key: string) => key.slice(NAMESPACE.length + 1);

  await query('PRAGMA journal_mode=WAL');
  // FULL: in WAL mode each commit is fsynced, so an answered delivery survives power loss too;
  // group commit keeps that to one fsync per batch.
  await query('PRAGMA synchronous=FULL');

  async function commit(ops: WriteOp[]): Promise<void> {
    const runs = consecutiveRuns(ops);
    // One statement is atomic by itself; several (deletes and sets) share a transaction.
    if (runs.length > 1) await query('BEGIN IMMEDIATE');
    try {
      for (const run of runs) {
        if (run.kind === 'set') {
          await query(
            `INSERT INTO ${TABLE}(key, value) VALUES ${run.set.map(() => '(?, ?)').join(',')} ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
            ...run.set.flatMap(([key, value]) => [full(key), encodeRow(value)]),
          );
        } else {
          await query(`DELETE FROM ${TABLE} WHERE key IN (${run.delete.map(() => '?').join(',')})`, ...run.delete.map(full));
        }
      }
      if (runs.length > 1) await query('COMMIT');
    } catch (error) {
      if (runs.length > 1) await query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  const write = createGroupCommit(commit, MAX_OPS_PER_COMMIT);

  const range = (prefix: string) => [full(prefix), full(prefixEnd(prefix))];

  return {
    get: (key) => keyv.get(key),
    getMany: async (keys) => (keys.length === 0 ? [] : keyv.getMany(keys)),
    write: async (op) => {
      if ((op.set?.length ?? 0) + (op.delete?.length ?? 0) > 0) await write([op]);
    },
    async scan(prefix: string, options: ScanOptions = {}) {
      const [low, high] = range(prefix);
      const rows = await query(
        `SELECT key${options.keysOnly ? '' : ', value'} FROM ${TABLE} WHERE key >= ? AND key < ? ORDER BY key ${options.reverse ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`,
        options.from === undefined ? low : full(prefix + options.from),
        options.to === undefined ? high : full(prefix + options.to),
        options.limit ?? -1,
        options.offset ?? 0,
      );
      return rows.map((row) => ({ key: short(row.key), value: row.value === undefined ? undefined : decodeRow(row.value) }));
    },
    async count(prefix) {
      const rows = (await query(`SELECT count(*) AS n FROM ${TABLE} WHERE key >= ? AND key < ?`, ...range(prefix))) as unknown as Array<{ n: number }>;
      return rows[0]?.n ?? 0;
    },
    async deleteRange(prefix, below) {
      const [low, high] = range(prefix);
      await query(`DELETE FROM ${TABLE} WHERE key >= ? AND key < ?`, low, below === undefined ? high : full(prefix + below));
    },
    async keepNewest(prefix, keep) {
      await query(
        `DELETE FROM ${TABLE} WHERE key IN (SELECT key FROM ${TABLE} WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT -1 OFFSET ?)`,
        ...range(prefix),
        keep,
      );
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      await keyv.disconnect();
      await lock?.release();
    },
  };
}

type Run = { kind: 'set'; set: Array<[string, unknown]> } | { kind: 'delete'; delete: string[] };

/** The ops' deletes and sets in order, neighbours of a kind joined into one statement each. */
function consecutiveRuns(ops: WriteOp[]): Run[] {
  const runs: Run[] = [];
  for (const op of ops) {
    if (op.delete?.length) {
      const last = runs.at(-1);
      if (last?.kind === 'delete') last.delete.push(...op.delete);
      else runs.push({ kind: 'delete', delete: [...op.delete] });
    }
    if (op.set?.length) {
      const last = runs.at(-1);
      if (last?.kind === 'set') last.set.push(...op.set);
      else runs.push({ kind: 'set', set: [...op.set] });
    }
  }
  return runs;
}
