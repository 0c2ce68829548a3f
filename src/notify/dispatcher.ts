import { SendError, type Channel } from '../channels/channel.ts';
import { chatKey, type ChatRef } from '../domain/chat.ts';
import type { Message } from '../domain/message.ts';
import type { Logger } from '../logger.ts';
import { createInterruptibleSleeps } from '../shared/interruptible-sleeps.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { OutboxEntry, OutboxRepository } from '../store/outbox-repository.ts';
import { foldEntries } from './backlog-tally.ts';
import { buildBurstSummary, type BurstItem } from './build-burst-summary.ts';
import { buildNotification, buildPrunedNotice } from './build-notification.ts';
import type { ChatPacing } from './chat-pacing.ts';
import type { ChatPace } from './pacer.ts';

export interface DispatcherOptions {
  outbox: OutboxRepository;
  deliveries: DeliveryRepository;
  endpoints: EndpointRepository;
  channels: Channel[];
  /** Shared with the channels' command replies, so together they keep each chat's pace. */
  pacing: ChatPacing;
  logger: Logger;
  /** Builds an alert's message (entries with `alert`); undefined drops it as no longer relevant. */
  alertMessage?: (entry: OutboxEntry) => Promise<Message | undefined>;
  now?: () => number;
  /** First retry delay; doubles per failure up to `maxRetryMs`. */
  baseRetryMs?: number;
  maxRetryMs?: number;
}

/** A backlog that would take longer than this at the platform's pace is merged into one summary. */
const MERGE_WHEN_BACKLOG_MS = 3000;
const MAX_MERGED = 1000;
/**
 * Entries a chat's queue holds (in memory and in the outbox) before all but the next summary's worth
 * are folded into one per endpoint: a chat that is down for a day costs no more than this.
 */
const MAX_BACKLOG = 2 * MAX_MERGED;
export const REPEAT_NOTE = 'hookwatch restarted while sending this, so it may repeat an earlier message.';

type ChatQueue = { chat: ChatRef; entries: OutboxEntry[]; running: boolean; pace: ChatPace };
type Outcome = { kind: 'done' } | { kind: 'retry'; retryAfterMs: number | undefined };

/**
 * Sends queued notifications, one chat at a time in delivery order and at the platform's pace.
 * A lone delivery goes out at once; a backlog the pace cannot clear quickly becomes one summary.
 * An entry leaves the outbox only after its chat accepted it (or refused it for good), so a crash
 * at any point resends rather than loses.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { outbox, deliveries, endpoints, pacing, logger } = options;
  const now = options.now ?? Date.now;
  const baseRetryMs = options.baseRetryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 300_000;
  const channels = new Map(options.channels.map((channel) => [channel.platform, channel]));
  const queues = new Map<string, ChatQueue>();
  const queued = new Set<string>();
  /** Entries this run has marked as being sent, so retries do not write the mark again. */
  const marked = new Set<string>();
  const { sleep, wakeAll } = createInterruptibleSleeps();
  const drains = new Set<Promise<void>>();
  let stopped = false;

  const entryId = (entry: OutboxEntry) => `${entry.deliveryId}:${chatKey(entry.chat)}`;

  function enqueue(entry: OutboxEntry): void {
    if (queued.has(entryId(entry)) || stopped) return;
    queued.add(entryId(entry));
    const key = chatKey(entry.chat);
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = createQueue(entry.chat)));
    queue.entries.push(entry);
    if (queue.entries.length > MAX_BACKLOG) fold(queue);
    if (!queue.running) {
      const draining = drain(queue).finally(() => drains.delete(draining));
      drains.add(draining);
    }
  }

  /**
   * Folds all but the first MAX_MERGED entries (a batch in flight is among those) into one per endpoint,
   * in memory now and in the outbox by a write that the group commit orders before any later removal.
   */
  function fold(queue: ChatQueue): void {
    const rest = queue.entries.splice(MAX_MERGED);
    // Alerts are few and each must be told: they stay themselves, after the folded notifications.
    const replaced = rest.filter((entry) => !entry.alert);
    const folded = foldEntries(replaced);
    queue.entries.push(...folded, ...rest.filter((entry) => entry.alert));
    for (const entry of replaced) queued.delete(entryId(entry));
    for (const entry of folded) queued.add(entryId(entry));
    outbox.fold(replaced, folded).catch((error: unknown) => logger.error({ err: error }, 'could not fold a chat\'s backlog; its entries stay as they were'));
  }

  function createQueue(chat: ChatRef): ChatQueue {
    return { chat, entries: [], running: false, pace: channels.get(chat.platform)?.pace(chat.chatId) ?? { chat: {} } };
  }

  async function drain(queue: ChatQueue): Promise<void> {
    queue.running = true;
    let failures = 0;
    const channel = channels.get(queue.chat.platform);
    if (!channel) logger.warn({ platform: queue.chat.platform }, 'notifications kept for a chat platform that is not configured');
    while (channel && !stopped && queue.entries.length > 0) {
      let batch: OutboxEntry[] = [];
      // The batch is chosen once the pace allows a send: what arrived while waiting joins the summary.
      const outcome = await pacing.turn(
        queue.chat,
        queue.pace,
        () => attempt(channel, (batch = nextBatch(queue))),
        { sleep, cancelled: () => stopped },
      );
      if (!outcome) break;
      if (outcome.kind === 'retry') {
        failures += 1;
        await sleep(outcome.retryAfterMs ?? Math.min(maxRetryMs, baseRetryMs * 2 ** (failures - 1)));
        continue;
      }
      failures = 0;
      queue.entries.splice(0, batch.length);
      for (const entry of batch) {
        queued.delete(entryId(entry));
        marked.delete(entryId(entry));
      }
      await outbox.remove(batch, { chat: queue.chat, times: pacing.recent(queue.chat) }).catch((error: unknown) => logger.error({ err: error }, 'could not clear sent notifications'));
    }
    queue.running = false;
  }

  /** The next send: one entry, or a summary of notifications up to the next alert (alerts go alone). */
  function nextBatch(queue: ChatQueue): OutboxEntry[] {
    if (!shouldMerge(queue) || queue.entries[0]!.alert) return queue.entries.slice(0, 1);
    const batch = queue.entries.slice(0, MAX_MERGED);
    const firstAlert = batch.findIndex((entry) => entry.alert);
    return firstAlert === -1 ? batch : batch.slice(0, firstAlert);
  }

  function shouldMerge(queue: ChatQueue): boolean {
    const { minIntervalMs = 0, window } = queue.pace.chat;
    const perMessageMs = Math.max(minIntervalMs, window ? window.ms / window.count : 0);
    return queue.entries.length > 1 && queue.entries.length * perMessageMs > MERGE_WHEN_BACKLOG_MS;
  }

  /** done: sent, or dropped for good; retry: try again later. */
  async function attempt(channel: Channel, batch: OutboxEntry[]): Promise<Outcome> {
    const first = batch[0]!;
    const log = logger.child({ deliveryId: first.deliveryId, count: batch.length, chat: chatKey(first.chat) });
    try {
      const message = await buildMessage(batch);
      if (!message) {
        log.info('endpoint deleted before the notification went out');
        return { kind: 'done' };
      }
      const unmarked = batch.filter((entry) => !marked.has(entryId(entry)));
      if (unmarked.length > 0) {
        await outbox.markSending(unmarked, { chat: first.chat, times: [...pacing.recent(first.chat), now()] });
        for (const entry of unmarked) marked.add(entryId(entry));
      }
      // Sent before a crash, maybe: say so rather than double silently (at-least-once).
      if (batch.some((entry) => entry.sending)) message.lines = [...(message.lines ?? []), REPEAT_NOTE];
      await channel.send(first.chat.chatId, message);
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

  /** One delivery: its full notification. More: a summary from the outbox entries, reading no delivery. */
  async function buildMessage(batch: OutboxEntry[]): Promise<Message | undefined> {
    if (batch[0]!.alert) return options.alertMessage?.(batch[0]!);
    if (batch.length === 1 && !batch[0]!.folded) {
      const [entry] = batch as [OutboxEntry];
      const [delivery, endpoint] = await Promise.all([deliveries.get(entry), endpoints.get(entry.endpointId)]);
      if (!endpoint) return undefined;
      return delivery ? buildNotification(delivery, endpoint) : buildPrunedNotice(entry, endpoint);
    }
    const endpointIds = [...new Set(batch.map((entry) => entry.endpointId))];
    const found = new Map((await Promise.all(endpointIds.map((id) => endpoints.get(id)))).flatMap((endpoint) => (endpoint ? [[endpoint.id, endpoint] as const] : [])));
    const items = batch.flatMap((entry): BurstItem[] => {
      const endpoint = found.get(entry.endpointId);
      return endpoint ? [{ entry, endpoint }] : [];
    });
    return items.length > 0 ? buildBurstSummary(items) : undefined;
  }

  return {
    enqueue,
    /** Queues everything left in the outbox by an earlier run. */
    async resume(): Promise<void> {
      for (const entry of await outbox.pending()) enqueue(entry);
    },
    /** Stops sending; waits (up to `graceMs`) for sends under way, so their outcome is recorded. */
    async stop(graceMs = 3000): Promise<void> {
      stopped = true;
      wakeAll();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all(drains), grace]);
      clearTimeout(timer);
    },
  };
}
