import { sqliteDeliveryBody } from './delivery-codec.ts';
import { ftsPhrase } from './fts-phrase.ts';
import type { ValueCondition } from './key-value-store.ts';
import { likePattern } from './like-pattern.ts';

/** keyv stores `{"value": …}`; conditions name fields of the value. */
const fieldPath = (field: string) => `$.value.${JSON.stringify(field)}`;

/** `.a.b[0]` in SQLite's JSON path syntax, every key quoted so no key can change the path. */
const pathSteps = (path: Array<string | number>) => path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${JSON.stringify(part)}`)).join('');
const jsonPath = (field: string, path: Array<string | number>) => fieldPath(field) + pathSteps(path);

/** The comparison of a `json` condition on the JSON text `doc` at `path`, with its parameters. */
function jsonTest(doc: string, path: string, condition: Extract<ValueCondition, { kind: 'json' }>): { sql: string; params: unknown[] } {
  if (condition.op !== '=') return { sql: `(json_type(${doc}, ?) IN ('integer', 'real') AND json_extract(${doc}, ?) ${condition.op} ?)`, params: [path, path, condition.value] };
  if (typeof condition.value === 'boolean' || condition.value === null) return { sql: `json_type(${doc}, ?) = ?`, params: [path, String(condition.value)] };
  // A number matches the number or its text ("amount": "1000"), a string only the string.
  return { sql: `(json_type(${doc}, ?) IN ('integer', 'real', 'text') AND json_extract(${doc}, ?) IN (?, ?))`, params: [path, path, condition.value, String(condition.value)] };
}

/** Where a search runs: keyv's table, the rows' words (an FTS5 table), and keys as stored. */
export interface SearchContext {
  table: string;
  words: string;
  key: (key: string) => string;
}

/** Conditions as one SQL `AND` over the `value` column (and the rows' words, and delivery bodies), with their parameters. */
export function sqliteConditions(conditions: ValueCondition[], context: SearchContext): { sql: string; params: unknown[] } {
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
        parts.push(`(${context.table}.rowid IN (SELECT rowid FROM ${context.words} WHERE ${context.words} MATCH ?) OR instr(json_extract(value, ?), ?) > 0)`);
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
        const inValue = jsonTest('value', jsonPath(condition.field, condition.path), condition);
        if (!condition.body) {
          parts.push(inValue.sql);
          params.push(...inValue.params);
          break;
        }
        // The JSON in the field (entries stored before, form bodies), else the flagged body in place, parsed only if it parses.
        const inBody = jsonTest('body', `$${pathSteps(condition.path)}`, condition);
        const body = `SELECT ${sqliteDeliveryBody('bodies.value')} AS body FROM ${context.table} AS bodies WHERE bodies.key = ? || substr(${context.table}.key, ?)`;
        parts.push(`CASE WHEN json_type(value, ?) IS NOT NULL THEN ${inValue.sql} WHEN json_extract(value, ?) THEN (SELECT ${inBody.sql} FROM (${body}) WHERE json_valid(body)) END`);
        params.push(fieldPath(condition.field), ...inValue.params, fieldPath(condition.body.flag), ...inBody.params, context.key(condition.body.rowsPrefix), context.key(condition.body.keyPrefix).length + 1);
        break;
      }
    }
  }
  return { sql: parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`, params };
}
