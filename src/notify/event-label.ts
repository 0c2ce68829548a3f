import type { Delivery } from '../domain/delivery.ts';
import type { BodyView } from './body-view.ts';

const EVENT_FIELDS = ['type', 'event', 'event_type', 'action'] as const;

/** The event a delivery carries, from the usual top-level JSON fields; undefined when none. */
export function eventType(view: BodyView): string | undefined {
  if (view.kind !== 'json' || typeof view.value !== 'object' || view.value === null) return undefined;
  const record = view.value as Record<string, unknown>;
  const found = EVENT_FIELDS.map((field) => record[field]).find((value) => typeof value === 'string' && value.length > 0);
  return typeof found === 'string' ? found.slice(0, 100) : undefined;
}

/** What to call a delivery in a summary: its event type, else its method and path. */
export function eventLabel(delivery: Delivery, view: BodyView): string {
  return eventType(view) ?? `${delivery.method} ${delivery.subPath || '/'}`;
}
