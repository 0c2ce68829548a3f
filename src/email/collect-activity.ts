import { alertName } from '../domain/alert.ts';
import type { ChatRef } from '../domain/chat.ts';
import type { AlertRepository } from '../store/alert-repository.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { SendErrorRepository } from '../store/send-error-repository.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { EndpointActivity } from './build-digest.ts';

export interface ActivitySources {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  sendErrors: SendErrorRepository;
  alerts: AlertRepository;
}

/** What each of the chat's endpoints received in [start, end), and the alerts opened then: range reads over time-ordered ids. */
export async function collectActivity(sources: ActivitySources, chat: ChatRef, start: number, end: number): Promise<EndpointActivity[]> {
  const [endpoints, alerts] = await Promise.all([sources.endpoints.listForChat(chat), sources.alerts.openedBetween(chat, start, end)]);
  return Promise.all(
    endpoints.map(async (endpoint): Promise<EndpointActivity> => {
      const [deliveries, rejections, lastId, sendError] = await Promise.all([
        sources.deliveries.between(endpoint.id, start, end),
        sources.deliveries.rejectionsBetween(endpoint.id, start, end),
        sources.deliveries.lastIdBefore(endpoint.id, start),
        sources.sendErrors.get(endpoint.id),
      ]);
      const mine = alerts
        .filter((alert) => alert.subject.id === endpoint.id)
        .map((alert) => ({ name: alertName(alert), message: alert.message, openedAt: alert.openedAt, ...(alert.resolvedAt === undefined ? {} : { resolvedAt: alert.resolvedAt }) }));
      return { name: endpoint.name, deliveries, rejections, ...(lastId === undefined ? {} : { lastBefore: deliveryIdTime(lastId) }), ...(sendError ? { sendError } : {}), ...(mine.length > 0 ? { alerts: mine } : {}) };
    }),
  );
}
