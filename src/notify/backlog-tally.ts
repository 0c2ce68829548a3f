import type { OutboxEntry } from '../store/outbox-repository.ts';

/** What a run of queued notifications amounts to: how many, which ids, and by event label. */
export interface Tally {
  count: number;
  firstId: string;
  lastId: string;
  labels: Map<string, number>;
  signatureInvalid: number;
}

export function tallyOf(entry: OutboxEntry): Tally {
  if (entry.folded) return { ...entry.folded, labels: new Map(entry.folded.labels), lastId: entry.deliveryId };
  // Queued by a version that did not label entries.
  const label = entry.label ?? 'unlabelled';
  return { count: 1, firstId: entry.deliveryId, lastId: entry.deliveryId, labels: new Map([[label, 1]]), signatureInvalid: entry.signatureInvalid ? 1 : 0 };
}

/** The sum of tallies (ids sort by arrival, so the range is the smallest first and the largest last). */
export function sumTallies(tallies: Tally[]): Tally {
  const labels = new Map<string, number>();
  for (const tally of tallies) for (const [label, count] of tally.labels) labels.set(label, (labels.get(label) ?? 0) + count);
  return {
    count: tallies.reduce((sum, tally) => sum + tally.count, 0),
    firstId: tallies.map((tally) => tally.firstId).reduce((a, b) => (b < a ? b : a)),
    lastId: tallies.map((tally) => tally.lastId).reduce((a, b) => (b > a ? b : a)),
    labels,
    signatureInvalid: tallies.reduce((sum, tally) => sum + tally.signatureInvalid, 0),
  };
}

/** One entry per endpoint standing for all of `entries` (one chat's), in the order the endpoints first appear. */
export function foldEntries(entries: OutboxEntry[]): OutboxEntry[] {
  return groupBy(entries, (entry) => entry.endpointId).map((group) => {
    const { lastId, labels, ...counts } = sumTallies(group.map(tallyOf));
    const sending = group.some((entry) => entry.sending);
    const folded = { ...counts, labels: [...labels] };
    return { deliveryId: lastId, endpointId: group[0]!.endpointId, chat: group[0]!.chat, folded, ...(sending ? { sending } : {}) };
  });
}

/** Groups in the order their keys first appear (Map.groupBy needs Node 21). */
export function groupBy<T>(items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return [...groups.values()];
}
