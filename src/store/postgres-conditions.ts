import type { ValueCondition } from './key-value-store.ts';
import { likePattern } from './like-pattern.ts';

/**
 * Conditions as one SQL `AND` over the `value` jsonb column, with their parameters numbered from
 * `first`. Field names, JSON paths and values are always parameters (a path is a `text[]`), never
 * SQL text: they come from chat users and from stored payloads.
 */
export function postgresConditions(conditions: ValueCondition[], first: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${first + params.push(value) - 1}`;
  for (const condition of conditions) {
    const field = () => `(value -> ${param(condition.field)}::text)`;
    switch (condition.kind) {
      case 'contains':
        parts.push(`strpos(value ->> ${param(condition.field)}::text, ${param(condition.text)}::text) > 0`);
        break;
      case 'words':
        // Padded words (` a b `), in the words column or, in a row stored before it, in the value's field.
        parts.push(`strpos(coalesce(words, value ->> ${param(condition.field)}::text), ${param(` ${condition.words.join(' ')} `)}::text) > 0`);
        break;
      case 'like':
        // The C collation folds ASCII case only, as SQLite's LIKE does.
        parts.push(`(value ->> ${param(condition.field)}::text) COLLATE "C" ILIKE ${param(likePattern(condition.pattern))}::text ESCAPE '\\'`);
        break;
      case 'equals':
        parts.push(`${field()} = to_jsonb(${param(condition.value)}::text)`);
        break;
      case 'json': {
        const at = `(${field()} #> ${param(condition.path.map(String))}::text[])`;
        const value = condition.value;
        if (condition.op !== '=') {
          // CASE, not AND: SQL may evaluate AND's sides in any order, and a string cannot be cast to numeric.
          parts.push(`CASE WHEN jsonb_typeof(${at}) = 'number' THEN ${at}::numeric ${condition.op} ${param(Number(value))}::numeric ELSE false END`);
        } else if (typeof value === 'boolean' || value === null) {
          parts.push(`${at} = ${param(JSON.stringify(value))}::jsonb`);
        } else if (typeof value === 'number') {
          // A number matches the number or its text ("amount": "1000"), a string only the string.
          parts.push(
            `(${at} = to_jsonb(${param(String(value))}::text) OR CASE WHEN jsonb_typeof(${at}) = 'number' THEN ${at}::numeric = ${param(value)}::numeric ELSE false END)`,
          );
        } else {
          parts.push(`${at} = to_jsonb(${param(value)}::text)`);
        }
        break;
      }
    }
  }
  return { sql: parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`, params };
}
