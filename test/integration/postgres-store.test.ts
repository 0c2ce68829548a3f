import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { createPostgresStore } from '../../src/store/postgres-store.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/postgres-database.ts';

/** Runs one query on the database as another client would, and hands back its rows. */
async function queryDirectly(databaseUrl: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!testPostgresUrl)('the postgres store', () => {
  const opened: KeyValueStore[] = [];
  const open = async (databaseUrl: string) => {
    const store = await createPostgresStore(databaseUrl);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('orders keys by their bytes in a database whose default collation is en-US', async () => {
    const url = await createTestDatabase("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
    const store = await open(url);
    await store.write({ set: ['a_b', 'a-b', 'A-c', 'ab', 'aB'].map((name): [string, number] => [`k:${name}`, 1]) });
    const keys = async (options = {}) => (await store.scan('k:', { keysOnly: true, ...options })).map((entry) => entry.key.slice(2));
    expect(await keys()).toEqual(['A-c', 'a-b', 'aB', 'a_b', 'ab']);
    expect(await keys({ reverse: true, limit: 2 })).toEqual(['ab', 'a_b']);
    expect(await keys({ from: 'a-b', to: 'a_b' })).toEqual(['a-b', 'aB']);
    await store.deleteRange('k:', 'aB');
    expect(await keys()).toEqual(['aB', 'a_b', 'ab']);
  });

  it('reads back bytes, long keys, and JSON that jsonb cannot hold exactly as written, in one batch', async () => {
    const url = await createTestDatabase();
    const store = await open(url);
    const bytes = Buffer.from([0, 255, 0, 92, 117, 48]);
    const unholdable = { t: ' a\u0000b ', lone: '\ud800', paired: '😀', escaped: '\\u0000 and \\\\ud800', j: { 'key\u0000': [1.5, 1e21] } };
    const escapedOnly = { t: 'a backslash and u0000: \\u0000' };
    const longKey = `k:${'x'.repeat(1500)}`;
    await Promise.all([
      store.write({ set: [['k:bytes', bytes]] }),
      store.write({ set: [['k:unholdable', unholdable]] }),
      store.write({ set: [['k:escaped', escapedOnly]] }),
      store.write({ set: [[longKey, 'long']] }),
    ]);
    expect(await store.getMany(['k:bytes', 'k:unholdable', 'k:escaped', longKey, 'k:missing'])).toEqual([bytes, unholdable, escapedOnly, 'long', undefined]);
    expect(await queryDirectly(url, "SELECT key, value IS NOT NULL AS jsonb, bytes IS NOT NULL AS bytea, json_text IS NOT NULL AS text FROM hookwatch_kv WHERE key IN ('k:bytes', 'k:unholdable', 'k:escaped') ORDER BY key")).toEqual([
      { key: 'k:bytes', jsonb: false, bytea: true, text: false },
      { key: 'k:escaped', jsonb: true, bytea: false, text: false },
      { key: 'k:unholdable', jsonb: false, bytea: false, text: true },
    ]);
  });

  it('takes field names, JSON paths and values from strangers as parameters, never as SQL', async () => {
    const url = await createTestDatabase();
    const store = await open(url);
    const field = `t'); DROP TABLE hookwatch_kv; --`;
    const path = [`a'b`, 'x,y}', '"\\', '{0}', 'NULL'];
    await store.write({ set: [['find:e:1', { [field]: 'drop', j: { [path[0]!]: { [path[1]!]: { [path[2]!]: { [path[3]!]: { [path[4]!]: 5 } } } } } }]] });
    const found = await store.search(['find:e:'], {
      where: [
        { kind: 'contains', field, text: `dro` },
        { kind: 'like', field, pattern: `d*'%_` },
        { kind: 'json', field: 'j', path, op: '>', value: 4 },
      ],
    });
    expect(found).toEqual({ keys: [], total: 0 });
    expect(await store.search(['find:e:'], { where: [{ kind: 'equals', field, value: 'drop' }, { kind: 'json', field: 'j', path, op: '=', value: 5 }] })).toEqual({ keys: ['find:e:1'], total: 1 });
    expect(await store.search(['find:e:'], { where: [{ kind: 'json', field: 'j', path: [...path, "') OR true --"], op: '=', value: null }] })).toEqual({ keys: [], total: 0 });
    expect(await queryDirectly(url, 'SELECT count(*)::int AS n FROM hookwatch_kv')).toEqual([{ n: 1 }]);
  });

  it('rolls back every write of a commit when the database refuses one of them', async () => {
    const store = await open(await createTestDatabase());
    await store.write({ set: [['k:kept', 'kept'], ['count:k', 1]] });
    // Longer than a btree index entry may be, even compressed: the INSERT fails after the DELETE ran.
    const tooLong = `k:${randomBytes(9000).toString('base64')}`;
    const results = await Promise.allSettled([
      store.write({ delete: ['k:kept'] }),
      store.write({ set: [[tooLong, 1]], add: [['count:k', 1]] }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await store.getMany(['k:kept', 'count:k'])).toEqual(['kept', 1]);
    await store.write({ set: [['k:after', 'ok']] });
    expect(await store.get('k:after')).toBe('ok');
  });

  it('creates its schema once when several processes open a new database at the same moment', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => open(url)));
    await stores[0]!.write({ set: [['k', 'v']] });
    expect(await stores[3]!.get('k')).toBe('v');
    expect(await queryDirectly(url, 'SELECT version, name FROM hookwatch_migrations ORDER BY version')).toEqual([{ version: 1, name: 'key-value table' }, { version: 2, name: 'words column' }]);
  });
});
