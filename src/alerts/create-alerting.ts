import type { Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { createDeliveryIdGenerator } from '../domain/ids.ts';
import type { Message } from '../domain/message.ts';
import type { Logger } from '../logger.ts';
import { createAlertRepository } from '../store/alert-repository.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import { createExpectationRepository } from '../store/expectation-repository.ts';
import type { KeyValueStore } from '../store/key-value-store.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { buildAlertMessage } from './build-alert-message.ts';
import { createAlertScheduler } from './create-alert-scheduler.ts';
import { createAlertService, type AlertServiceOptions } from './create-alert-service.ts';
import { createDeliveryWatch } from './create-delivery-watch.ts';
import { createSilenceCheck } from './create-silence-check.ts';

export interface AlertingOptions {
  store: KeyValueStore;
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  /** Hands an alert's queued message to the dispatcher. */
  enqueue: (entry: OutboxEntry) => void;
  remindMs: number;
  logger: Logger;
  now: () => number;
  intervalMs?: number;
  /** This process's id slot, when there are several (cluster). */
  idSlot?: () => number | undefined;
  /** With several processes: where the alerts are kept (see AlertServiceOptions). */
  leader?: AlertServiceOptions['leader'];
}

export type Alerting = ReturnType<typeof createAlerting>;

/** Alerts: their store, the one service that changes them, the scheduler, and the receiver's hook. */
export function createAlerting(options: AlertingOptions) {
  const { store, endpoints, deliveries, now } = options;
  const logger = options.logger.child({ component: 'alerts' });
  const repo = createAlertRepository(store);
  const expectations = createExpectationRepository(store);
  const service = createAlertService({ repo, endpoints, enqueue: options.enqueue, nextId: createDeliveryIdGenerator(options.idSlot), remindMs: options.remindMs, logger, now, ...(options.leader ? { leader: options.leader } : {}) });
  const checkSilence = createSilenceCheck({ deliveries, endpoints, alerts: service });
  const scheduler = createAlertScheduler({ expectations, checkSilence, alerts: service, logger, now, ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}) });
  const watch = createDeliveryWatch({ alerts: service, deliveries });

  return {
    repo,
    expectations,
    service,
    scheduler,
    /** The receiver's hook, after the delivery is durable; never slows or fails the answer. */
    onDelivery(delivery: Delivery, endpoint: Endpoint): void {
      watch(delivery, endpoint).catch((error: unknown) => logger.error({ err: error, endpointId: endpoint.id }, 'alert check of a delivery failed'));
    },
    /** The dispatcher's builder for alert entries: undefined when the message no longer applies. */
    async message(entry: OutboxEntry): Promise<Message | undefined> {
      const alert = entry.alert && (await repo.get(entry.alert.id));
      if (!alert || !entry.alert) return undefined;
      const stale = entry.alert.note === 'reminder' && (alert.acknowledgedAt !== undefined || alert.resolvedAt !== undefined);
      return stale ? undefined : buildAlertMessage(alert, entry.alert.note, now());
    },
  };
}
