import type { Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { formatDuration } from '../domain/duration.ts';
import type { Button, Message } from '../domain/message.ts';
import { eventLabel } from './describe-analysis.ts';

const MAX_LIST = 50;

export interface BurstItem {
  delivery: Delivery;
  endpoint: Endpoint;
}

/**
 * Spec section 3 under a burst: one message for deliveries that could not be sent one by one,
 * e.g. "stripe: 57 deliveries in 10s: payment_intent.succeeded ×50, charge.refunded ×7".
 */
export function buildBurstSummary(items: BurstItem[]): Message {
  const byEndpoint = new Map<string, BurstItem[]>();
  for (const item of items) byEndpoint.set(item.endpoint.id, [...(byEndpoint.get(item.endpoint.id) ?? []), item]);
  const times = items.map((item) => item.delivery.receivedAt);
  const span = formatDuration(Math.max(1000, Math.max(...times) - Math.min(...times)));

  const lines: string[] = [];
  const buttons: Button[] = [];
  for (const group of byEndpoint.values()) {
    const { endpoint } = group[0]!;
    lines.push(`${endpoint.name}: ${group.length} deliveries: ${countByEvent(group)}`);
    buttons.push({ label: `List ${endpoint.name}`, action: { command: 'last', args: [endpoint.id, String(Math.min(group.length, MAX_LIST))] } });
  }
  lines.push(`Merged so the chat keeps up. Ids ${items[0]!.delivery.id} to ${items.at(-1)!.delivery.id}; every one is stored.`);
  return { title: `${items.length} deliveries in ${span}`, tone: 'info', lines, buttons: buttons.slice(0, 3) };
}

function countByEvent(group: BurstItem[]): string {
  const counts = new Map<string, number>();
  for (const { delivery } of group) {
    const label = eventLabel(delivery);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${label} ×${count}`).join(', ');
}
