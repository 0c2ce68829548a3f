import pg from 'pg';
import { collapseWrites } from './collapse-writes.ts';
import { foldAdditions } from './fold-additions.ts';
import { createGroupCommit } from './group-commit.ts';
import { prefixEnd, type KeyValueStore, type ScanOptions, type WriteOp } from './key-value-store.ts';
import { KV_TABLE, migratePostgres } from './migrate-postgres.ts';
import { postgresConditions } from './postgres-conditions.ts';

/** Ops per commit, as on SQLite: one WAL flush for many requests, and a bounded transaction. */
const MAX_OPS_PER_COMMIT = 1000;
/** Connections: the group commit uses one at a time, reads the rest. */
const POOL_SIZE = 10;
/** An unreachable server fails start (and a starved pool a query) after this, instead of hanging. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * jsonb cannot hold U+0000 or a lone surrogate, both of which a stranger's JSON body may carry (as
 * `\u0000` and `\ud800` in JSON.stringify's output; an escape is real when it follows an even run of
 * backslashes). Such a value is kept as its JSON text instead: read back exactly, but not searchable.
 */
const JSONB_UNSAFE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/i;

type Row = { key: string; value?: unknown; bytes?: Buffer | null; json_text?: string | null };
type Encoded = [value: string | null, bytes: Buffer | null, jsonText: string | null];

/** A value as its three columns: bytes as bytea, JSON as jsonb (searchable) or, when jsonb cannot hold it, as text. */
function encodeValue(value: unknown): Encoded {
  if (Buffer.isBuffer(value)) return [null, value, null];
  const json = JSON.stringify(value) ?? 'null';
  return JSONB_UNSAFE.test(json) ? [null, null, json] : [json, null, null];
}

function decodeRow(row: Row): unknown {
  if (row.bytes) return row.bytes;
  return typeof row.json_text === 'string' ? JSON.parse(row.json_text) : row.value;
}

/**
 * A whole batch in one statement, so in one round trip and one transaction: the deletes, the sets
 * (an upsert over `unnest`ed arrays; a set without words keeps the row's), then the additions, done in the database (a missing key, or one
 * holding no number, counts as 0). Its parts touch disjoint keys (foldAdditions); an empty part does nothing.
 */
const WRITE = `WITH deleted AS (DELETE FROM ${KV_TABLE} WHERE key = ANY($1::text[])),
  written AS (INSERT INTO ${KV_TABLE} AS kept (key, value, bytes, json_text, words) SELECT * FROM unnest($2::text[], $3::jsonb[], $4::bytea[], $5::text[], $8::text[])
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes, json_text = excluded.json_text, words = coalesce(excluded.words, kept.words))
  INSERT INTO ${KV_TABLE} AS stored (key, value) SELECT key, to_jsonb(delta) FROM unnest($6::text[], $7::numeric[]) AS added(key, delta)
    ON CONFLICT (key) DO UPDATE SET value = to_jsonb(coalesce(CASE WHEN jsonb_typeof(stored.value) = 'number' THEN stored.value::numeric END, 0) + excluded.value::numeric),
    bytes = NULL, json_text = NULL`;

/**
 * Each part of a batch in key order, so every process's commits lock rows (and wait on each other's new
 * keys) in the same order: two processes writing the same count keys in opposite orders deadlocked.
 */
function inKeyOrder<T extends { delete: string[]; set: Array<[string, unknown]>; add: Array<[string, number]> }>(writes: T): T {
  const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return { ...writes, delete: [...writes.delete].sort(), set: [...writes.set].sort(byKey), add: [...writes.add].sort(byKey) };
}

/**
 * The store on PostgreSQL through `pg` directly, not @keyv/postgres: keyv's adapter cannot express
 * ordered range reads and deletes, a multi-key write in one transaction, or additions done in the
 * database; it keeps one module-global pool per URI (closing one store breaks the others); it turns
 * errors into `false`/`undefined`; and its table limits keys to 255 characters. One table (see
 * migrate-postgres.ts): a key in byte order, the value in one of three columns (see encodeValue), and the row's words as text.
 * Same semantics as the SQLite store: group commit (a batch is one statement, so one transaction and
 * one round trip), collapsed writes, ordered scans, searches where the data is, every statement counted.
 */
export async function createPostgresStore(databaseUrl: string): Promise<KeyValueStore> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection the server dropped (a restart) only leaves the pool; the next query opens another.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  let statements = 0;
  const query = async (sql: string, params: unknown[] = []): Promise<Row[]> => {
    statements += 1;
    return (await pool.query(sql, params)).rows as Row[];
  };

  async function commit(ops: WriteOp[]): Promise<void> {
    const writes = inKeyOrder(foldAdditions(collapseWrites(ops)));
    // Encoded before any SQL: a value JSON cannot encode fails the batch without touching the database.
    const columns = writes.set.map(([, value]) => encodeValue(value));
    await query(WRITE, [
      writes.delete,
      writes.set.map(([key]) => key),
      ...[0, 1, 2].map((column) => columns.map((encoded) => encoded[column])),
      writes.add.map(([key]) => key),
      writes.add.map(([, delta]) => delta),
      writes.set.map(([key]) => writes.words.get(key) ?? null),
    ]);
  }
  const write = createGroupCommit(commit, MAX_OPS_PER_COMMIT);

  async function getMany(wanted: string[]): Promise<unknown[]> {
    const rows = await query(`SELECT key, value, bytes, json_text FROM ${KV_TABLE} WHERE key = ANY($1::text[])`, [wanted]);
    const found = new Map(rows.map((row) => [row.key, decodeRow(row)]));
    return wanted.map((key) => found.get(key));
  }

  const range = (prefix: string) => [prefix, prefixEnd(prefix)];
  const bounds = (prefix: string, options: Pick<ScanOptions, 'from' | 'to'>) => [
    options.from === undefined ? prefix : prefix + options.from,
    options.to === undefined ? prefixEnd(prefix) : prefix + options.to,
  ];

  return {
    get: async (key) => (await getMany([key]))[0],
    getMany,
    write: async (op) => {
      if ((op.set?.length ?? 0) + (op.delete?.length ?? 0) + (op.add?.length ?? 0) > 0) await write([op]);
    },
    async scan(prefix, options: ScanOptions = {}) {
      const rows = await query(
        `SELECT key${options.keysOnly ? '' : ', value, bytes, json_text'} FROM ${KV_TABLE} WHERE key >= $1 AND key < $2 ORDER BY key ${options.reverse ? 'DESC' : 'ASC'} LIMIT $3 OFFSET $4`,
        [...bounds(prefix, options), options.limit ?? null, options.offset ?? 0],
      );
      return rows.map((row) => ({ key: row.key, value: options.keysOnly ? undefined : decodeRow(row) }));
    },
    async count(prefix) {
      const rows = (await query(`SELECT count(*) AS n FROM ${KV_TABLE} WHERE key >= $1 AND key < $2`, range(prefix))) as unknown as Array<{ n: string }>;
      return Number(rows[0]?.n ?? 0);
    },
    async search(prefixes, options) {
      const where = postgresConditions(options.where, 5);
      // One statement over every prefix's range; the window count is taken over every match before LIMIT.
      const ranges = prefixes.map((prefix) => [...bounds(prefix, options), prefix.length + 1] as const);
      const rows = (await query(
        `WITH ranges(low, high, cut) AS (SELECT * FROM unnest($1::text[], $2::text[], $3::int[]))
        SELECT key, count(*) OVER () AS total FROM ranges JOIN ${KV_TABLE} ON key >= low AND key < high WHERE true${where.sql}
        ORDER BY substr(key, cut) DESC, key DESC LIMIT $4`,
        [ranges.map((range) => range[0]), ranges.map((range) => range[1]), ranges.map((range) => range[2]), options.limit ?? null, ...where.params],
      )) as unknown as Array<{ key: string; total: string }>;
      return { keys: rows.map((row) => row.key), total: Number(rows[0]?.total ?? 0) };
    },
    async deleteRange(prefix, below) {
      const [low, high] = range(prefix);
      await query(`DELETE FROM ${KV_TABLE} WHERE key >= $1 AND key < $2`, [low, below === undefined ? high : prefix + below]);
    },
    async keepNewest(prefix, keep) {
      await query(`DELETE FROM ${KV_TABLE} WHERE key IN (SELECT key FROM ${KV_TABLE} WHERE key >= $1 AND key < $2 ORDER BY key DESC OFFSET $3)`, [...range(prefix), keep]);
    },
    async ping() {
      await query('SELECT 1');
    },
    // jsonb over a delivery's bytes would need a parse that cannot fail inside SQL: find entries keep their JSON here.
    searchesBodies: false,
    statements: () => statements,
    close: () => pool.end(),
  };
}
