/**
 * Words as one FTS5 phrase: a string in double quotes (a `"` inside doubled), so no word, however a
 * stranger wrote it, is read as FTS5 query syntax (AND, NEAR, `*`, `^`, a column filter).
 */
export function ftsPhrase(words: string[]): string {
  return `"${words.join(' ').replaceAll('"', '""')}"`;
}
