import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteConnection, type SqliteConnection } from '../../src/store/sqlite-connection.ts';

describe('a SQLite connection that keeps its prepared statements', () => {
  let connection: SqliteConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    connection = undefined;
  });

  it('answers a statement run again with its new parameters, also after more distinct statements than it keeps have pushed it out', async () => {
    connection = await openSqliteConnection(':memory:', 1000);
    await connection.query('CREATE TABLE t(n INTEGER)', []);
    await connection.query('INSERT INTO t VALUES (?), (?)', [1, 2]);
    const first = (n: number) => connection!.query<{ n: number }>('SELECT n FROM t WHERE n = ?', [n]);
    expect(await first(1)).toEqual([{ n: 1 }]);
    for (let i = 0; i < 300; i += 1) expect(await connection.query<{ v: number }>(`SELECT ${i} AS v`, [])).toEqual([{ v: i }]);
    expect(await first(2)).toEqual([{ n: 2 }]);
  });

  it('rejects a statement SQLite refuses with its reason, and goes on answering the others', async () => {
    connection = await openSqliteConnection(':memory:', 1000);
    await expect(connection.query('SELECT * FROM missing', [])).rejects.toThrow(/no such table: missing/);
    await expect(connection.query('SELECT * FROM missing', [])).rejects.toThrow(/no such table: missing/);
    expect(await connection.query('SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
  });

  it('lets a statement pushed out while it runs finish its run', async () => {
    connection = await openSqliteConnection(':memory:', 1000);
    const running = connection.query<{ n: number }>('WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000) SELECT count(*) AS n FROM c', []);
    const others = Array.from({ length: 250 }, (_, i) => connection!.query(`SELECT ${i} AS v`, []));
    expect(await running).toEqual([{ n: 20000 }]);
    expect((await Promise.all(others)).length).toBe(250);
  });

  it('runs the same statement for callers who ask at once, each with its own rows', async () => {
    connection = await openSqliteConnection(':memory:', 1000);
    const answers = await Promise.all([1, 2, 3, 4].map((n) => connection!.query<{ n: number }>('SELECT ? AS n', [n])));
    expect(answers).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }], [{ n: 4 }]]);
  });
});
