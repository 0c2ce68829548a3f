import { stringAt } from './json-fields.ts';
import { oneLine } from './one-line.ts';

/** The most event types one line names; the rest are counted. */
const TYPES_SHOWN = 4;

/** `3 events: delivered ×2, open` for a batch, counting each item's type at `typePath`. */
export function batchSummary(items: readonly unknown[], typePath: string): string {
  const counts = new Map<string, number>();
  for (const item of items) {
    const type = oneLine(stringAt(item, typePath) ?? 'unknown', 40);
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const named = [...counts].slice(0, TYPES_SHOWN).map(([type, count]) => (count === 1 ? type : `${type} ×${count}`));
  const more = counts.size > TYPES_SHOWN ? `, ${counts.size - TYPES_SHOWN} more types` : '';
  return `${items.length} ${items.length === 1 ? 'event' : 'events'}: ${named.join(', ')}${more}`;
}
