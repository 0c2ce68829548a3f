import type { CollapsedWrites } from './collapse-writes.ts';

/**
 * The same batch with every addition to a key it also sets or deletes turned into a set of the
 * result (a batch applies its deletes and sets first, then its additions; a deleted key, or one set to
 * no number, counts as 0). Then deletes, sets and additions touch disjoint keys and can run as parts
 * of one SQL statement, which sees one snapshot and may not change a row twice.
 */
export function foldAdditions(writes: CollapsedWrites): CollapsedWrites {
  const sets = new Map(writes.set);
  const deletes = new Set(writes.delete);
  const add: Array<[string, number]> = [];
  for (const [key, delta] of writes.add) {
    if (sets.has(key) || deletes.has(key)) {
      const base = sets.get(key);
      sets.set(key, (typeof base === 'number' ? base : 0) + delta);
      deletes.delete(key);
    } else add.push([key, delta]);
  }
  return { delete: [...deletes], set: [...sets], add, words: writes.words };
}
