import type { AlertService } from '../alerts/create-alert-service.ts';
import type { Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { createDeliveryIdGenerator } from '../domain/ids.ts';
import type { Message } from '../domain/message.ts';
import type { Logger } from '../logger.ts';
import { createOutboundAgent } from '../outbound/create-outbound-agent.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { KeyValueStore } from '../store/key-value-store.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { createWatchRepository } from '../store/watch-repository.ts';
import { buildWatchMessage } from './build-watch-message.ts';
import { createWatchPoller } from './create-watch-poller.ts';
import { createWatchScheduler } from './create-watch-scheduler.ts';

export interface WatchingOptions {
  store: KeyValueStore;
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  alerts: AlertService;
  enqueue: (entry: OutboxEntry) => void;
  onStored: (delivery: Delivery, endpoint: Endpoint) => void;
  allowPrivate: boolean;
  maxBytes: number;
  maxInFlight: number;
  timeoutMs: number;
  logger: Logger;
  now: () => number;
  /** This process's id slot, when there are several (cluster). */
  idSlot?: () => number | undefined;
}

export type Watching = ReturnType<typeof createWatching>;

/** API watches: their store, the poller (through the guarded outbound agent), the scheduler, their messages. */
export function createWatching(options: WatchingOptions) {
  const { store, endpoints, deliveries, now } = options;
  const logger = options.logger.child({ component: 'watches' });
  const repo = createWatchRepository(store);
  // One connection per API origin: a watch is one GET at a time, and many watches of one API share it politely.
  const agent = createOutboundAgent({ allowPrivate: options.allowPrivate, connectTimeoutMs: options.timeoutMs, connectionsPerOrigin: 4 });
  let stopping = false;
  const poll = createWatchPoller({ repo, endpoints, alerts: options.alerts, agent, maxBytes: options.maxBytes, timeoutMs: options.timeoutMs, nextId: createDeliveryIdGenerator(options.idSlot), enqueue: options.enqueue, onStored: options.onStored, now, stopping: () => stopping });
  const scheduler = createWatchScheduler({ repo, poll, logger, now, maxInFlight: options.maxInFlight });

  return {
    repo,
    scheduler,
    /** The dispatcher's builder for watch entries: undefined when the watch, endpoint or answer is gone. */
    async message(entry: OutboxEntry): Promise<Message | undefined> {
      if (!entry.watch) return undefined;
      const ref = { endpointId: entry.endpointId, deliveryId: entry.deliveryId };
      const [watch, endpoint, delivery, previousId] = await Promise.all([repo.get(ref.endpointId), endpoints.get(ref.endpointId), deliveries.get(ref), repo.previousAnswer(ref.endpointId, ref.deliveryId)]);
      if (!watch || !endpoint || !delivery) return undefined;
      const previous = previousId === undefined ? undefined : await deliveries.get({ endpointId: ref.endpointId, deliveryId: previousId });
      return buildWatchMessage(entry.watch.note, watch, endpoint, delivery, previous);
    },
    /** Polls under way fail at once (their watches are polled again on start) rather than hold the stop. */
    async stop(): Promise<void> {
      stopping = true;
      const stopped = scheduler.stop();
      await agent.destroy();
      await stopped;
    },
  };
}
