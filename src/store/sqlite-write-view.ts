/** What a row written through the view does: replace the row, add to its count, or delete it. */
export type RowWrite = 'set' | 'add' | 'delete';

/**
 * A view to write through (per connection, TEMP), so a commit's deletes, sets and additions are ONE
 * INSERT statement: atomic by itself, no BEGIN and COMMIT around it, one trip to SQLite's thread
 * instead of four. Its INSTEAD OF trigger applies each row to keyv's table as `op` says; a set
 * replaces the value, an addition adds to the count kept as `{"value":n}` (0 when absent), a delete
 * removes the row. The words index's triggers fire for the rows it writes and deletes as for any other.
 */
export function writeViewSchema(table: string, view: string): string[] {
  const sum = `json_object('value', coalesce(json_extract(${table}.value, '$.value'), 0) + json_extract(excluded.value, '$.value'))`;
  return [
    `CREATE TEMP VIEW IF NOT EXISTS ${view}(key, value, op) AS SELECT key, value, NULL FROM ${table}`,
    `CREATE TEMP TRIGGER IF NOT EXISTS ${view}_row INSTEAD OF INSERT ON ${view} BEGIN
      DELETE FROM ${table} WHERE new.op = 'delete' AND key = new.key;
      INSERT INTO ${table}(key, value) SELECT new.key, new.value WHERE new.op IN ('set', 'add')
        ON CONFLICT(key) DO UPDATE SET value = CASE WHEN new.op = 'add' THEN ${sum} ELSE excluded.value END;
    END`,
  ];
}
