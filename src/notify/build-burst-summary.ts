import { formatDuration } from '../domain/duration.ts';
import { idRef, type Endpoint } from '../domain/endpoint.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { Button, Message } from '../domain/message.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { groupBy, sumTallies, tallyOf, type Tally } from './backlog-tally.ts';

const MAX_LIST = 50;

/** A queued notification with its endpoint: all a summary reads, so merging 1,000 loads no delivery body. */
export interface BurstItem {
  entry: OutboxEntry;
  endpoint: Endpoint;
}

/**
 * Spec section 3 under a burst: one message for deliveries that could not be sent one by one,
 * e.g. "stripe: 57 deliveries: payment_intent.succeeded ×50, charge.refunded ×7".
 */
export function buildBurstSummary(items: BurstItem[]): Message {
  const lines: string[] = [];
  const buttons: Button[] = [];
  const tallies: Tally[] = [];
  for (const group of groupBy(items, (item) => item.endpoint.id)) {
    const { endpoint } = group[0]!;
    const tally = sumTallies(group.map((item) => tallyOf(item.entry)));
    tallies.push(tally);
    const invalid = tally.signatureInvalid > 0 ? `; ${tally.signatureInvalid} with an invalid signature` : '';
    lines.push(`${endpoint.name}: ${tally.count} deliveries: ${countsByLabel(tally)}${invalid}`);
    buttons.push({ label: `List ${endpoint.name}`, action: { command: 'last', args: [idRef(endpoint), String(Math.min(tally.count, MAX_LIST))] } });
  }
  const total = sumTallies(tallies);
  const span = formatDuration(Math.max(1000, deliveryIdTime(total.lastId) - deliveryIdTime(total.firstId)));
  lines.push(`Merged so the chat keeps up. Ids ${total.firstId} to ${total.lastId}.`);
  return { title: `${total.count} deliveries in ${span}`, tone: total.signatureInvalid > 0 ? 'warning' : 'info', lines, buttons: buttons.slice(0, 3) };
}

function countsByLabel(tally: Tally): string {
  return [...tally.labels]
    .sort((a, b) => b[1] - a[1])
    .map(([label, count]) => `${label} ×${count}`)
    .join(', ');
}
