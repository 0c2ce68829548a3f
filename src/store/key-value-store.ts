/**
 * What hookwatch needs from storage. Keys are written so that no two writers ever
 * read-modify-write the same key (see README "Storage layout"); what an adapter must add to
 * plain keyv is an atomic multi-key write and ordered reads of a key prefix.
 */
export interface ScanOptions {
  /** Newest (highest key) first. */
  reverse?: boolean;
  limit?: number;
  /** Skip this many keys first (after ordering). */
  offset?: number;
  /** Skip reading values (for counting or listing ids). */
  keysOnly?: boolean;
  /** Only keys from `prefix + from` on (inclusive). */
  from?: string;
  /** Only keys below `prefix + to` (exclusive). */
  to?: string;
}

export interface SearchOptions extends Pick<ScanOptions, 'from' | 'to' | 'limit'> {
  /** Every condition must hold. */
  where: ValueCondition[];
}

/**
 * A test of a stored value's fields that an adapter runs where the data is (SQL for SQLite), so a
 * search reads no value it does not return. `field` is a top-level field of the value.
 */
export type ValueCondition =
  /** The text field contains `text` (case-sensitive). */
  | { kind: 'contains'; field: string; text: string }
  /** The field matches a pattern where `*` is any run of characters, ASCII case ignored. */
  | { kind: 'like'; field: string; pattern: string }
  | { kind: 'equals'; field: string; value: string }
  /**
   * The row's words (WriteOp `words`) hold these, one after another; in a row stored before words were
   * kept apart, the padded text in `field` (` a b `) holds them.
   */
  | { kind: 'words'; words: string[]; field: string }
  /**
   * The JSON at `path` inside the field: `=` a string, number, boolean or null; `>`/`<` a number. With
   * `body`, on a store that `searchesBodies`, a row without the field whose `body.flag` field is true
   * has its JSON elsewhere: the body of the delivery whose key is the row's with `body.keyPrefix` at its
   * start replaced by `body.rowsPrefix`, read in place (delivery codec). Other stores keep the JSON in the field.
   */
  | { kind: 'json'; field: string; path: Array<string | number>; op: '=' | '>' | '<'; value: string | number | boolean | null; body?: { flag: string; keyPrefix: string; rowsPrefix: string } };

export interface ScanEntry {
  key: string;
  value: unknown;
}

/**
 * Deletes, then sets (so a key in both ends up set). `add` adds to a count key in the store itself
 * (a missing key counts as 0), so the writers that add and remove rows can keep a count together
 * without any of them reading it first. `words` are what a `words` condition finds a JSON row by
 * (lower-case words, one space apart), given with the row's set: the row keeps them, not its value,
 * through later sets, until it is deleted.
 */
export type WriteOp = { set?: Array<[key: string, value: unknown]>; delete?: string[]; add?: Array<[key: string, delta: number]>; words?: Array<[key: string, words: string]> };

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  getMany(keys: string[]): Promise<unknown[]>;
  /** Applies one write atomically; writes from one event-loop turn share a commit. */
  write(op: WriteOp): Promise<void>;
  /** Entries whose key starts with `prefix`, in key order. */
  scan(prefix: string, options?: ScanOptions): Promise<ScanEntry[]>;
  count(prefix: string): Promise<number>;
  /**
   * Keys under any of `prefixes` whose values meet the conditions, newest (highest after its prefix) first,
   * at most `limit`; and how many meet them in all, in the same pass (one statement for all prefixes).
   */
  search(prefixes: string[], options: SearchOptions): Promise<{ keys: string[]; total: number }>;
  /** Deletes the keys under `prefix`; with `below`, only those sorting before `prefix + below`. */
  deleteRange(prefix: string, below?: string): Promise<void>;
  /** Deletes all but the `keep` highest keys under `prefix`. */
  keepNewest(prefix: string, keep: number): Promise<void>;
  ping(): Promise<void>;
  /** Whether `json` conditions read a delivery's body where it is stored (their `body`), so what is searched need not copy it. */
  searchesBodies: boolean;
  /** Statements sent to the database so far (benchmarks and tests divide it by deliveries). */
  statements(): number;
  close(): Promise<void>;
}

/** The first string after every string that starts with `prefix`. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
