import type { FindEntry, RelayMark } from './find-entry.ts';

/**
 * The find entry with these relays (by target id) marked: `r` keeps each target's, and what `status:`
 * compares is derived from all of them, padded so a condition matches whole items: `f` each state
 * once, sorted (` delivered failed `: only ` delivered ` means every relay succeeded), `h` the status
 * each last try got (` 200 503 `: ` 5` finds any 5xx).
 */
export function markRelays(entry: FindEntry, marks: Record<string, RelayMark>): FindEntry {
  const r = { ...entry.r, ...marks };
  const relays = Object.values(r);
  const codes = [...new Set(relays.flatMap((relay) => (relay.c === undefined ? [] : [relay.c])))].sort((a, b) => a - b);
  const marked: FindEntry = { ...entry, r, f: padded([...new Set(relays.map((relay) => relay.s))].sort()) };
  if (codes.length > 0) marked.h = padded(codes);
  else delete marked.h;
  return marked;
}

const padded = (items: Array<string | number>) => ` ${items.join(' ')} `;
