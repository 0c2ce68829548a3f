import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftsPhrase } from '../../src/store/fts-phrase.ts';

describe('an FTS5 phrase of words', () => {
  const db = new sqlite3.Database(':memory:');
  const run = (sql: string, ...params: unknown[]) => new Promise<void>((resolve, reject) => db.run(sql, params, (error) => (error ? reject(error) : resolve())));
  const matches = (words: string[]) =>
    new Promise<number[]>((resolve, reject) =>
      db.all('SELECT rowid FROM w WHERE w MATCH ? ORDER BY rowid', [ftsPhrase(words)], (error, rows: Array<{ rowid: number }>) => (error ? reject(error) : resolve(rows.map((row) => row.rowid)))),
    );

  beforeAll(async () => {
    await run(`CREATE VIRTUAL TABLE w USING fts5(words, content='', contentless_delete=1, tokenize='ascii')`);
    await run(`INSERT INTO w(rowid, words) VALUES (1, 'and near or not'), (2, 'w 1 ¦ x'), (3, 'near and')`);
  });
  afterAll(() => new Promise<void>((resolve) => db.close(() => resolve())));

  it('matches the words in their order, operators included, as words', async () => {
    expect(await matches(['and', 'near'])).toEqual([1]);
    expect(await matches(['near'])).toEqual([1, 3]);
  });

  it('reads quotes, stars, carets, parentheses and column filters as text, never as query syntax', async () => {
    for (const hostile of ['"', '""', '*', '^near', 'near(and', 'words:and', 'w:', 'NOT', ')']) expect(await matches([hostile])).toEqual(expect.any(Array));
    expect(await matches(['and" OR "x'])).toEqual([]);
  });
});
