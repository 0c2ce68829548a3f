import type { ChatRef } from '../domain/chat.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { SendErrorRepository } from '../store/send-error-repository.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { EndpointActivity } from './build-digest.ts';

export interface ActivitySources {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  sendErrors: SendErrorRepository;
}

/** What each of the chat's endpoints received in [start, end): range reads over the time-ordered ids. */
export async function collectActivity(sources: ActivitySources, chat: ChatRef, start: number, end: number): Promise<EndpointActivity[]> {
  const endpoints = await sources.endpoints.listForChat(chat);
  return Promise.all(
    endpoints.map(async (endpoint): Promise<EndpointActivity> => {
      const [deliveries, rejections, lastId, sendError] = await Promise.all([
        sources.deliveries.between(endpoint.id, start, end),
        sources.deliveries.rejectionsBetween(endpoint.id, start, end),
        sources.deliveries.lastIdBefore(endpoint.id, start),
        sources.sendErrors.get(endpoint.id),
      ]);
      return { name: endpoint.name, deliveries, rejections, ...(lastId === undefined ? {} : { lastBefore: deliveryIdTime(lastId) }), ...(sendError ? { sendError } : {}) };
    }),
  );
}
