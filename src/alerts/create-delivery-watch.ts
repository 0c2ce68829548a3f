import { alertEvent } from '../domain/alert.ts';
import type { Delivery } from '../domain/delivery.ts';
import { eventLabel } from '../domain/delivery.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { AlertService } from './create-alert-service.ts';

/** Invalid signatures in a row that open an alert. */
export const SIGNATURE_STREAK = 3;

/**
 * What a stored delivery means for alerts: it ends its endpoint's silence, a valid signature ends a
 * bad-signature streak, and the third invalid one in a row opens one. A delivery of an endpoint with
 * no open alert and a signature that is not invalid costs one map lookup.
 */
export function createDeliveryWatch(deps: { alerts: AlertService; deliveries: DeliveryRepository }) {
  const { alerts, deliveries } = deps;

  async function checkStreak(delivery: Delivery, endpoint: Endpoint): Promise<void> {
    if (alerts.find('signature', { type: 'endpoint', id: endpoint.id })) return;
    const recent = await deliveries.recent(endpoint.id, SIGNATURE_STREAK);
    const failed = recent.filter((item) => item.analysis?.signature.status === 'invalid');
    if (failed.length < SIGNATURE_STREAK) return;
    // `stale timestamp (412 s old, …)`: the figures differ per delivery, the reason does not.
    const reasons = [...new Set(failed.map((item) => (item.analysis?.signature.reason ?? 'invalid signature').replace(/ \(.*\)$/, '')))];
    await alerts.open({
      kind: 'signature',
      subject: { type: 'endpoint', id: endpoint.id },
      subjectName: endpoint.name,
      chat: endpoint.owner,
      since: Math.min(...failed.map((item) => item.receivedAt)),
      message: reasons.join('; '),
      count: SIGNATURE_STREAK,
      muted: isMuted(endpoint, delivery.receivedAt),
    });
  }

  return async function watchDelivery(delivery: Delivery, endpoint: Endpoint): Promise<void> {
    const signature = delivery.analysis?.signature.status;
    for (const alert of alerts.openForEndpoint(endpoint.id)) {
      if (alert.kind === 'silence' && (alert.subject.event === undefined || alert.subject.event === alertEvent(eventLabel(delivery)))) {
        await alerts.resolve('silence', alert.subject, `delivery ${delivery.id}`);
      }
      if (alert.kind === 'signature' && signature !== 'invalid') {
        await alerts.resolve('signature', alert.subject, signature === 'valid' ? `delivery ${delivery.id} with a valid signature` : `delivery ${delivery.id}, no longer checked`);
      }
    }
    if (signature === 'invalid') await checkStreak(delivery, endpoint);
  };
}
