/**
 * The schema that keeps rows' words (WriteOp `words`) in a contentless FTS5 index by the row's rowid,
 * so the words are searchable but stored once, as the index (about a third of the text), not as text.
 * A row with words is written as `{"words":…,"value":…}` (sqlite-store's encodeRow): in the same
 * statement a trigger moves the words into the index and leaves keyv's `{"value":…}` (one statement
 * per commit still, and nothing else writes the index); deleting the row, however (a key, a range, a
 * trim), takes its words with it. The `ascii` tokenizer splits only at ASCII that is not a letter or
 * digit and folds nothing else: the words arrive split and lower-cased as `find` compares them
 * (searchWords), so the index keeps them as they are, and any other character is a word of its own.
 */
export function wordsIndexSchema(table: string, index: string): string[] {
  const worded = `typeof(new.value) = 'text' AND substr(new.value, 1, ${WORDED_ROW.length}) = '${WORDED_ROW}'`;
  const moveWords = `INSERT OR REPLACE INTO ${index}(rowid, words) VALUES (new.rowid, json_extract(new.value, '$.words'));
    UPDATE ${table} SET value = json_remove(new.value, '$.words') WHERE rowid = new.rowid;`;
  return [
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${index} USING fts5(words, content='', contentless_delete=1, tokenize='ascii')`,
    `CREATE TRIGGER IF NOT EXISTS ${index}_set AFTER INSERT ON ${table} WHEN ${worded} BEGIN ${moveWords} END`,
    `CREATE TRIGGER IF NOT EXISTS ${index}_reset AFTER UPDATE OF value ON ${table} WHEN ${worded} BEGIN ${moveWords} END`,
    // Looked up first (the index's row sizes, by rowid): a delete of a row without words writes nothing to the index.
    `CREATE TRIGGER IF NOT EXISTS ${index}_gone AFTER DELETE ON ${table} WHEN EXISTS (SELECT 1 FROM ${index} WHERE rowid = old.rowid) BEGIN DELETE FROM ${index} WHERE rowid = old.rowid; END`,
  ];
}

/** How a row with words begins (the trigger's test). */
export const WORDED_ROW = '{"words":';
