import { formatDuration } from '../domain/duration.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { Button, Message } from '../domain/message.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';

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
  const byEndpoint = new Map<string, BurstItem[]>();
  for (const item of items) byEndpoint.set(item.endpoint.id, [...(byEndpoint.get(item.endpoint.id) ?? []), item]);
  const times = items.map((item) => deliveryIdTime(item.entry.deliveryId));
  const span = formatDuration(Math.max(1000, Math.max(...times) - Math.min(...times)));

  const lines: string[] = [];
  const buttons: Button[] = [];
  for (const group of byEndpoint.values()) {
    const { endpoint } = group[0]!;
    const invalid = group.filter((item) => item.entry.signatureInvalid).length;
    lines.push(`${endpoint.name}: ${group.length} deliveries: ${countByLabel(group)}${invalid > 0 ? `; ${invalid} with an invalid signature` : ''}`);
    buttons.push({ label: `List ${endpoint.name}`, action: { command: 'last', args: [endpoint.id, String(Math.min(group.length, MAX_LIST))] } });
  }
  lines.push(`Merged so the chat keeps up. Ids ${items[0]!.entry.deliveryId} to ${items.at(-1)!.entry.deliveryId}.`);
  const signatureFailed = items.some((item) => item.entry.signatureInvalid);
  return { title: `${items.length} deliveries in ${span}`, tone: signatureFailed ? 'warning' : 'info', lines, buttons: buttons.slice(0, 3) };
}

function countByLabel(group: BurstItem[]): string {
  const counts = new Map<string, number>();
  for (const { entry } of group) {
    // Queued by a version that did not label entries.
    const label = entry.label ?? 'unlabelled';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${label} ×${count}`).join(', ');
}
