import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { collapseWrites, type CollapsedWrites } from './collapse-writes.ts';
import { createGroupCommit } from './group-commit.ts';
import { prefixEnd, type KeyValueStore, type ScanOptions, type WriteOp } from './key-value-store.ts';
import { lockDatabaseFile } from './lock-database-file.ts';
import { openSqliteConnection } from './sqlite-connection.ts';
import { sqliteConditions } from './sqlite-conditions.ts';
import { wordsIndexSchema } from './sqlite-words-index.ts';
import { writeViewSchema, type RowWrite } from './sqlite-write-view.ts';

const NAMESPACE = 'hw';
const TABLE = 'keyv';
/** The rows' words (WriteOp `words`), an FTS5 index beside keyv's table. */
const WORDS = 'keyv_words';
/** Where commits write (sqlite-write-view.ts). */
const WRITES = 'keyv_writes';
/** Ops per commit: one fsync for many requests, and a bounded transaction. */
const MAX_OPS_PER_COMMIT = 1000;
/**
 * Bytes per database page of a new file (SQLite's default is 4 KB). Larger pages leave less unused at the
 * end of each 1-2 KB delivery row, but every commit writes each page it touched whole to the WAL, and most
 * of those are key-index leaves a few keys each changed: measured under the realistic bench, 8 KB pages
 * stored about as compactly as 16 KB (2.0-2.2x the body) and wrote 22% fewer bytes per delivery.
 */
const PAGE_SIZE = 8192;
/** Bound parameters per statement, well below SQLite's 32,766: a large write becomes several statements. */
const MAX_PARAMS = 10_000;

/**
 * keyv's on-disk shape, `{"value":…}` as JSON, so plain keyv reads our rows; bytes (a Buffer, such
 * as an encoded delivery) are stored as they are, a BLOB, which keyv cannot read. An addition to a
 * count is written through the view as an `add` (sqlite-write-view.ts), in the commit's one statement. A JSON
 * row with words carries them in front, for the words index to take (sqlite-words-index.ts).
 */
const encodeRow = (value: unknown, words?: string) => (Buffer.isBuffer(value) ? value : JSON.stringify(words === undefined ? { value } : { words, value }));
const encodeAddition = (delta: number) => JSON.stringify({ value: delta });
const decodeRow = (stored: string | Buffer): unknown => (Buffer.isBuffer(stored) ? stored : (JSON.parse(stored) as { value: unknown }).value);

type Row = { key: string; value?: string | Buffer };

/**
 * keyv's table as @keyv/sqlite makes it, in WAL mode, read and written in keyv's row format on a
 * connection of our own that keeps its prepared statements (every statement counted). With `exclusive`
 * (the service) no other process may open the file the same way while this one runs.
 */
export async function createSqliteStore(databaseUrl: string, options: { exclusive?: boolean } = {}): Promise<KeyValueStore> {
  const path = databaseUrl.replace(/^sqlite:\/\//, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const lock = options.exclusive && path !== ':memory:' ? await lockDatabaseFile(path) : undefined;
  const isNew = path === ':memory:' || !existsSync(path);
  const connection = await openSqliteConnection(path, 5000);
  let statements = 0;
  const query = (sql: string, ...params: unknown[]) => {
    statements += 1;
    return connection.query<Row>(sql, params);
  };
  await query(`CREATE TABLE IF NOT EXISTS ${TABLE}(key VARCHAR(255) PRIMARY KEY, value TEXT )`);
  const full = (key: string) => `${NAMESPACE}:${key}`;
  const short = (key: string) => key.slice(NAMESPACE.length + 1);

  // A new file gets larger pages before it turns to WAL (where the size is fixed): a 1-2 KB delivery row
  // leaves less of a page unused. An existing file keeps its pages.
  if (isNew) {
    await query(`PRAGMA page_size=${PAGE_SIZE}`);
    await query('VACUUM');
  }
  await query('PRAGMA journal_mode=WAL');
  // FULL: in WAL mode each commit is fsynced, so an answered delivery survives power loss too;
  // group commit keeps that to one fsync per batch.
  await query('PRAGMA synchronous=FULL');
  for (const statement of [...wordsIndexSchema(TABLE, WORDS), ...writeViewSchema(TABLE, WRITES)]) await query(statement);

  async function commit(ops: WriteOp[]): Promise<void> {
    const statements = statementsFor(collapseWrites(ops));
    // One statement is atomic by itself; several (a commit past MAX_PARAMS) share a transaction.
    const transaction = statements.length > 1;
    if (transaction) await query('BEGIN IMMEDIATE');
    try {
      for (const [sql, params] of statements) await query(sql, ...params);
      if (transaction) await query('COMMIT');
    } catch (error) {
      if (transaction) await query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  function statementsFor(writes: CollapsedWrites): Array<[string, unknown[]]> {
    const rows: Array<[string, string | Buffer | null, RowWrite]> = [
      ...writes.delete.map((key): [string, null, RowWrite] => [full(key), null, 'delete']),
      ...writes.set.map(([key, value]): [string, string | Buffer, RowWrite] => [full(key), encodeRow(value, writes.words.get(key)), 'set']),
      ...writes.add.map(([key, delta]): [string, string, RowWrite] => [full(key), encodeAddition(delta), 'add']),
    ];
    return chunks(rows, Math.floor(MAX_PARAMS / 3)).map((part): [string, unknown[]] => [
      `INSERT INTO ${WRITES}(key, value, op) VALUES ${part.map(() => '(?, ?, ?)').join(',')}`,
      part.flat(),
    ]);
  }

  async function getMany(wanted: string[]): Promise<unknown[]> {
    const found = new Map<string, unknown>();
    for (const part of chunks(wanted, MAX_PARAMS)) {
      const rows = await query(`SELECT key, value FROM ${TABLE} WHERE key IN (${part.map(() => '?').join(',')})`, ...part.map(full));
      for (const row of rows) found.set(short(row.key), decodeRow(row.value!));
    }
    return wanted.map((key) => found.get(key));
  }
  const write = createGroupCommit(commit, MAX_OPS_PER_COMMIT);

  const range = (prefix: string) => [full(prefix), full(prefixEnd(prefix))];
  const bounds = (prefix: string, options: Pick<ScanOptions, 'from' | 'to'>) => [
    options.from === undefined ? full(prefix) : full(prefix + options.from),
    options.to === undefined ? full(prefixEnd(prefix)) : full(prefix + options.to),
  ];

  return {
    get: async (key) => (await getMany([key]))[0],
    getMany,
    write: async (op) => {
      if ((op.set?.length ?? 0) + (op.delete?.length ?? 0) + (op.add?.length ?? 0) > 0) await write([op]);
    },
    async scan(prefix: string, options: ScanOptions = {}) {
      const rows = await query(
        `SELECT key${options.keysOnly ? '' : ', value'} FROM ${TABLE} WHERE key >= ? AND key < ? ORDER BY key ${options.reverse ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`,
        ...bounds(prefix, options),
        options.limit ?? -1,
        options.offset ?? 0,
      );
      return rows.map((row) => ({ key: short(row.key), value: row.value === undefined ? undefined : decodeRow(row.value) }));
    },
    async count(prefix) {
      const rows = (await query(`SELECT count(*) AS n FROM ${TABLE} WHERE key >= ? AND key < ?`, ...range(prefix))) as unknown as Array<{ n: number }>;
      return rows[0]?.n ?? 0;
    },
    async search(prefixes, options) {
      if (prefixes.length === 0) return { keys: [], total: 0 };
      const where = sqliteConditions(options.where, { table: TABLE, words: WORDS, key: full });
      // One statement over every prefix's range (each read by the key index), so what a condition gathers
      // once (a word's rows) serves them all; the window count is taken over every match before LIMIT.
      const rows = (await query(
        `WITH ranges(low, high, cut) AS (VALUES ${prefixes.map(() => '(?, ?, ?)').join(', ')})
        SELECT key, count(*) OVER () AS total FROM ranges JOIN ${TABLE} ON key >= low AND key < high WHERE 1${where.sql}
        ORDER BY substr(key, cut) DESC, key DESC LIMIT ?`,
        ...prefixes.flatMap((prefix) => [...bounds(prefix, options), full(prefix).length + 1]),
        ...where.params,
        options.limit ?? -1,
      )) as unknown as Array<{ key: string; total: number }>;
      return { keys: rows.map((row) => short(row.key)), total: rows[0]?.total ?? 0 };
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
    searchesBodies: true,
    statements: () => statements,
    async close() {
      await connection.close();
      await lock?.release();
    },
  };
}

/** `items` in pieces of at most `size`. */
function chunks<T>(items: T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let start = 0; start < items.length; start += size) pieces.push(items.slice(start, start + size));
  return pieces;
}
