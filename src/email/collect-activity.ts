import type { ChatRef } from '../domain/chat.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { EndpointActivity } from './build-digest.ts';

export interface ActivitySources {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
}

/** What each of the chat's endpoints received in [start, end): range reads over the time-ordered ids. */
export async function collectActivity(sources: ActivitySources, chat: ChatRef, start: number, end: number): Promise<EndpointActivity[]> {
  const endpoints = await sources.endpoints.listForChat(chat);
  return Promise.all(
    endpoints.map(async (endpoint): Promise<EndpointActivity> => {
      const [deliveries, rejections, lastId] = await Promise.all([
        sources.deliveries.between(endpoint.id, start, end),
        sources.deliveries.rejectionsBetween(endpoint.id, start, end),
        sources.deliveries.lastIdBefore(endpoint.id, start),
      ]);
      return { name: endpoint.name, deliveries, rejections, ...(lastId === undefined ? {} : { lastBefore: deliveryIdTime(lastId) }) };
    }),
  );
}
