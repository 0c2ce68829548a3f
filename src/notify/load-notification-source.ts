import type { Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';

/** What a notification is made of: its outbox entries, their endpoints, and for one delivery the delivery. */
export interface NotificationSource {
  batch: OutboxEntry[];
  /** More than one delivery (or a folded entry): told as a burst summary. */
  summary: boolean;
  endpoints: Map<string, Endpoint>;
  /** Undefined for a summary, or when retention removed the delivery first. */
  delivery: Delivery | undefined;
}

/**
 * Reads what the batch's notification is made from; undefined when every endpoint in it was deleted.
 * A summary reads no delivery (a burst of 1,000 costs no body reads), and a delivery this process
 * received and still holds (`held`) is not read again; endpoints come from the repository's cache.
 * A failure here is the store's.
 */
export async function loadNotificationSource(
  batch: OutboxEntry[],
  stores: { endpoints: EndpointRepository; deliveries: DeliveryRepository },
  held: (entry: OutboxEntry) => Delivery | undefined = () => undefined,
): Promise<NotificationSource | undefined> {
  const single = batch.length === 1 && !batch[0]!.folded;
  const endpointIds = [...new Set(batch.map((entry) => entry.endpointId))];
  const [found, delivery] = await Promise.all([
    Promise.all(endpointIds.map((id) => stores.endpoints.findById(id))),
    single ? (held(batch[0]!) ?? stores.deliveries.get(batch[0]!)) : undefined,
  ]);
  const endpoints = new Map(found.flatMap((endpoint) => (endpoint ? [[endpoint.id, endpoint] as const] : [])));
  const kept = batch.filter((entry) => endpoints.has(entry.endpointId));
  return kept.length > 0 ? { batch: kept, summary: !single, endpoints, delivery } : undefined;
}
