import { SendError, type Channel } from '../channels/channel.ts';
import { chatKey } from '../domain/chat.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { OutboxEntry, OutboxRepository } from '../store/outbox-repository.ts';
import { buildNotification } from './build-notification.ts';

export interface DispatcherOptions {
  outbox: OutboxRepository;
  deliveries: DeliveryRepository;
  endpoints: EndpointRepository;
  channels: Channel[];
  logger: Logger;
  /** First retry delay; doubles per failure up to `maxRetryMs`. */
  baseRetryMs?: number;
  maxRetryMs?: number;
}

type ChatQueue = { entries: OutboxEntry[]; running: boolean };

/**
 * Sends queued notifications, one chat at a time in delivery order. An entry leaves the outbox
 * only after its chat accepted it (or refused it for good), so a crash at any point resends
 * rather than loses.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { outbox, deliveries, endpoints, logger } = options;
  const baseRetryMs = options.baseRetryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 300_000;
  const channels = new Map(options.channels.map((channel) => [channel.platform, channel]));
  const queues = new Map<string, ChatQueue>();
  const queued = new Set<string>();
  const sleepers = new Set<() => void>();
  let stopped = false;

  function enqueue(entry: OutboxEntry): void {
    const id = `${entry.deliveryId}:${chatKey(entry.chat)}`;
    if (queued.has(id) || stopped) return;
    queued.add(id);
    const key = chatKey(entry.chat);
    const queue = queues.get(key) ?? { entries: [], running: false };
    queues.set(key, queue);
    queue.entries.push(entry);
    if (!queue.running) void drain(queue);
  }

  async function drain(queue: ChatQueue): Promise<void> {
    queue.running = true;
    let failures = 0;
    while (!stopped && queue.entries.length > 0) {
      const entry = queue.entries[0]!;
      const outcome = await attempt(entry);
      if (outcome.kind === 'retry') {
        failures += 1;
        await sleep(outcome.retryAfterMs ?? Math.min(maxRetryMs, baseRetryMs * 2 ** (failures - 1)));
        continue;
      }
      if (outcome.kind === 'parked') break;
      failures = 0;
      queue.entries.shift();
      queued.delete(`${entry.deliveryId}:${chatKey(entry.chat)}`);
      await outbox.remove(entry).catch((error: unknown) => logger.error({ err: error }, 'could not clear a sent notification'));
    }
    queue.running = false;
  }

  /** done: sent or dropped for good; retry: try again later; parked: no channel for it now. */
  async function attempt(entry: OutboxEntry): Promise<{ kind: 'done' | 'parked' } | { kind: 'retry'; retryAfterMs: number | undefined }> {
    const channel = channels.get(entry.chat.platform);
    if (!channel) {
      logger.warn({ platform: entry.chat.platform }, 'notifications kept for a chat platform that is not configured');
      return { kind: 'parked' };
    }
    const log = logger.child({ deliveryId: entry.deliveryId, chat: chatKey(entry.chat) });
    try {
      const [delivery, endpoint] = await Promise.all([deliveries.get(entry), endpoints.get(entry.endpointId)]);
      if (!delivery || !endpoint) {
        log.info('endpoint or delivery removed before its notification went out');
        return { kind: 'done' };
      }
      await channel.send(entry.chat.chatId, buildNotification(delivery, endpoint));
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof SendError && error.permanent) {
        log.error({ err: error }, 'notification refused for good; dropped');
        return { kind: 'done' };
      }
      log.warn({ err: error }, 'notification failed; will retry');
      return { kind: 'retry', retryAfterMs: error instanceof SendError ? error.retryAfterMs : undefined };
    }
  }

  /** A wait that `stop()` cuts short. */
  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });
  }

  return {
    enqueue,
    /** Queues everything left in the outbox by an earlier run. */
    async resume(): Promise<void> {
      for (const entry of await outbox.pending()) enqueue(entry);
    },
    stop(): void {
      stopped = true;
      for (const wake of sleepers) wake();
    },
  };
}
