import { ftsPhrase } from './fts-phrase.ts';
import type { ValueCondition } from './key-value-store.ts';
import { likePattern } from './like-pattern.ts';

/** keyv stores `{"value": …}`; conditions name fields of the value. */
const fieldPath = (field: string) => `$.value.${JSON.stringify(field)}`;

/** `a.b[0]` in SQLite's JSON path syntax, every key quoted so no key can change the path. */
function jsonPath(field: string, path: Array<string | number>): string {
  return fieldPath(field) + path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${JSON.stringify(part)}`)).join('');
}

/** Conditions as one SQL `AND` over the `value` column (and the rows' words in `wordsTable`), with their parameters. */
export function sqliteConditions(conditions: ValueCondition[], wordsTable: string): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const condition of conditions) {
    switch (condition.kind) {
      case 'contains':
        parts.push('instr(json_extract(value, ?), ?) > 0');
        params.push(fieldPath(condition.field), condition.text);
        break;
      case 'words':
        // The words index by rowid, or the padded text of a row stored before it (a small value's json_extract is cheap).
        parts.push(`(rowid IN (SELECT rowid FROM ${wordsTable} WHERE ${wordsTable} MATCH ?) OR instr(json_extract(value, ?), ?) > 0)`);
        params.push(ftsPhrase(condition.words), fieldPath(condition.field), ` ${condition.words.join(' ')} `);
        break;
      case 'like':
        parts.push(`json_extract(value, ?) LIKE ? ESCAPE '\\'`);
        params.push(fieldPath(condition.field), likePattern(condition.pattern));
        break;
      case 'equals':
        parts.push('json_extract(value, ?) = ?');
        params.push(fieldPath(condition.field), condition.value);
        break;
      case 'json': {
        const path = jsonPath(condition.field, condition.path);
        if (condition.op !== '=') {
          parts.push(`json_type(value, ?) IN ('integer', 'real') AND json_extract(value, ?) ${condition.op} ?`);
          params.push(path, path, condition.value);
        } else if (typeof condition.value === 'boolean' || condition.value === null) {
          parts.push('json_type(value, ?) = ?');
          params.push(path, String(condition.value));
        } else {
          // A number matches the number or its text ("amount": "1000"), a string only the string.
          parts.push(`json_type(value, ?) IN ('integer', 'real', 'text') AND json_extract(value, ?) IN (?, ?)`);
          params.push(path, path, condition.value, String(condition.value));
        }
        break;
      }
    }
  }
  return { sql: parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`, params };
}
