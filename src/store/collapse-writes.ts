import type { WriteOp } from './key-value-store.ts';

export interface CollapsedWrites {
  delete: string[];
  set: Array<[string, unknown]>;
  add: Array<[string, number]>;
  /** The words given with the sets (the last for each key). */
  words: Map<string, string>;
}

/**
 * What a batch of writes leaves behind, key by key: the last set or delete of each key in op order
 * (an op's deletes before its sets), and each count key's deltas summed. Applied as one DELETE
 * and one INSERT, whatever the number of ops: a batch of sends that each clear an outbox entry and
 * record the chat's pace costs what one of them does.
 */
export function collapseWrites(ops: WriteOp[]): CollapsedWrites {
  const last = new Map<string, { value: unknown } | undefined>();
  const added = new Map<string, number>();
  const words = new Map<string, string>();
  for (const op of ops) {
    for (const key of op.delete ?? []) last.set(key, undefined);
    for (const [key, value] of op.set ?? []) last.set(key, { value });
    for (const [key, delta] of op.add ?? []) added.set(key, (added.get(key) ?? 0) + delta);
    for (const [key, text] of op.words ?? []) words.set(key, text);
  }
  const collapsed: CollapsedWrites = { delete: [], set: [], add: [...added], words };
  for (const [key, entry] of last) {
    if (entry) collapsed.set.push([key, entry.value]);
    else collapsed.delete.push(key);
  }
  return collapsed;
}
