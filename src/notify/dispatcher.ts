import { SendError, type Channel } from '../channels/channel.ts';
import { chatKey, type ChatRef } from '../domain/chat.ts';
import type { Delivery } from '../domain/delivery.ts';
import type { Message } from '../domain/message.ts';
import type { Logger } from '../logger.ts';
import { createQueueReads } from '../shared/create-queue-reads.ts';
import { createInterruptibleSleeps } from '../shared/interruptible-sleeps.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { OutboxEntry, OutboxRepository } from '../store/outbox-repository.ts';
import type { SendErrorRepository } from '../store/send-error-repository.ts';
import { foldEntries } from './backlog-tally.ts';
import { buildBurstSummary } from './build-burst-summary.ts';
import { buildFallbackNotice } from './build-fallback-notice.ts';
import { buildNotification, buildPrunedNotice } from './build-notification.ts';
import { buildRelayFailure } from './build-relay-failure.ts';
import type { ChatPacing } from './chat-pacing.ts';
import { loadNotificationSource, type NotificationSource } from './load-notification-source.ts';
import type { ChatPace } from './pacer.ts';

export interface DispatcherOptions {
  outbox: OutboxRepository;
  deliveries: DeliveryRepository;
  endpoints: EndpointRepository;
  /** Where a failed send is recorded for the endpoint's users to see (`show`, `list`, the digest). */
  sendErrors: SendErrorRepository;
  channels: Channel[];
  /** Shared with the channels' command replies, so together they keep each chat's pace. */
  pacing: ChatPacing;
  logger: Logger;
  /** Builds an alert's message (entries with `alert`); undefined drops it as no longer relevant. */
  alertMessage?: (entry: OutboxEntry) => Promise<Message | undefined>;
  /** How the delivery's relays went so far (`-> 200 in 38 ms`), for its notification. */
  relayOutcomes?: (deliveryId: string) => string[];
  /** Builds a watched API's message (entries with `watch`), the same way. */
  watchMessage?: (entry: OutboxEntry) => Promise<Message | undefined>;
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
/** Body bytes of just-received deliveries held for their notification, so it need not read them back. */
const MAX_HELD_BYTES = 8 * 1024 * 1024;
export const REPEAT_NOTE = 'hookwatch restarted while sending this, so it may repeat an earlier message.';

export type Dispatcher = ReturnType<typeof createDispatcher>;

type ChatQueue = { chat: ChatRef; entries: OutboxEntry[]; running: boolean; pace: ChatPace };
type Outcome = { kind: 'done' } | { kind: 'dropped'; reason: string } | { kind: 'retry'; retryAfterMs: number | undefined } | { kind: 'halt' };

/**
 * Sends queued notifications, one chat at a time in delivery order and at the platform's pace.
 * A lone delivery goes out at once; a backlog the pace cannot clear quickly becomes one summary.
 * An entry leaves the outbox only after its chat accepted it (or refused it for good), so a crash
 * at any point resends rather than loses.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { outbox, deliveries, endpoints, sendErrors, pacing, logger } = options;
  const now = options.now ?? Date.now;
  const baseRetryMs = options.baseRetryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 300_000;
  const channels = new Map(options.channels.map((channel) => [channel.platform, channel]));
  const queues = new Map<string, ChatQueue>();
  const queued = new Set<string>();
  /** Entries this run has marked as being sent, so retries do not write the mark again. */
  const marked = new Set<string>();
  /** Entries whose full notification could not be built or was refused as malformed: why, for their plain form. */
  const plainOnly = new Map<string, string>();
  /** Deliveries handed over by the receiver, by entry, until their notification is done (within MAX_HELD_BYTES). */
  const held = new Map<string, Delivery>();
  let heldBytes = 0;
  const { sleep, wakeAll } = createInterruptibleSleeps();
  /** Platforms that refused the bot's token: their notifications wait in the outbox for a restart. */
  const halted = new Set<string>();
  /** Endpoints with a send error on record, cleared by their next notification that goes out. */
  const failing = new Set<string>();
  const drains = new Set<Promise<void>>();
  const reads = createQueueReads();
  let stopped = false;

  const entryId = (entry: OutboxEntry) => `${entry.deliveryId}:${chatKey(entry.chat)}`;

  /** Queues the entry; `delivery`, when the receiver has it at hand, is used instead of reading it back. */
  function enqueue(entry: OutboxEntry, delivery?: Delivery): void {
    if (queued.has(entryId(entry)) || stopped) return;
    queued.add(entryId(entry));
    if (delivery && heldBytes + delivery.size <= MAX_HELD_BYTES) {
      held.set(entryId(entry), delivery);
      heldBytes += delivery.size;
    }
    const key = chatKey(entry.chat);
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = createQueue(entry.chat)));
    queue.entries.push(entry);
    if (queue.entries.length > MAX_BACKLOG) fold(queue);
    if (!queue.running && !halted.has(entry.chat.platform)) {
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
    // Alerts and watch changes are few and each must be told: they stay themselves, after the folded notifications.
    const replaced = rest.filter((entry) => !goesAlone(entry));
    const folded = foldEntries(replaced);
    queue.entries.push(...folded, ...rest.filter(goesAlone));
    for (const entry of replaced) forget(entry);
    for (const entry of folded) queued.add(entryId(entry));
    reads.letGo(replaced.map(entryId), () => outbox.fold(replaced, folded)).catch((error: unknown) => logger.error({ err: error }, 'could not fold a chat\'s backlog; its entries stay as they were'));
  }

  /** The entry leaves the queue: it may be enqueued again, and its delivery is no longer held. */
  function forget(entry: OutboxEntry): void {
    queued.delete(entryId(entry));
    const delivery = held.get(entryId(entry));
    if (!delivery) return;
    held.delete(entryId(entry));
    heldBytes -= delivery.size;
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
      if (!outcome || outcome.kind === 'halt') break;
      if (outcome.kind === 'retry') {
        failures += 1;
        await sleep(outcome.retryAfterMs ?? Math.min(maxRetryMs, baseRetryMs * 2 ** (failures - 1)));
        continue;
      }
      failures = 0;
      queue.entries.splice(0, batch.length);
      for (const entry of batch) {
        forget(entry);
        marked.delete(entryId(entry));
        plainOnly.delete(entryId(entry));
      }
      const dropped = outcome.kind === 'dropped' ? { reason: outcome.reason, at: now() } : undefined;
      await reads.letGo(batch.map(entryId), () => outbox.remove(batch, { chat: queue.chat, times: pacing.recent(queue.chat) }, dropped)).catch((error: unknown) => logger.error({ err: error }, 'could not clear sent notifications'));
    }
    queue.running = false;
  }

  /** The next send: one entry, or a summary of notifications up to the next alert (alerts go alone). */
  function nextBatch(queue: ChatQueue): OutboxEntry[] {
    if (!shouldMerge(queue) || goesAlone(queue.entries[0]!)) return queue.entries.slice(0, 1);
    const batch = queue.entries.slice(0, MAX_MERGED);
    const firstAlert = batch.findIndex(goesAlone);
    return firstAlert === -1 ? batch : batch.slice(0, firstAlert);
  }

  function shouldMerge(queue: ChatQueue): boolean {
    const { minIntervalMs = 0, window } = queue.pace.chat;
    const perMessageMs = Math.max(minIntervalMs, window ? window.ms / window.count : 0);
    return queue.entries.length > 1 && queue.entries.length * perMessageMs > MERGE_WHEN_BACKLOG_MS;
  }

  /**
   * done: sent, in full or in plain form; dropped: refused for good, even in plain form; retry: a
   * transient failure (the store, the network, 5xx, 429), so the same batch goes again later.
   */
  async function attempt(channel: Channel, batch: OutboxEntry[]): Promise<Outcome> {
    const first = batch[0]!;
    const key = entryId(first);
    const log = logger.child({ deliveryId: first.deliveryId, count: batch.length, chat: chatKey(first.chat) });
    try {
      if (goesAlone(first)) return await sendAlert(channel, first);
      const source = await loadNotificationSource(batch, { endpoints, deliveries }, (entry) => held.get(entryId(entry)));
      if (!source) {
        log.info('endpoint deleted before the notification went out');
        return { kind: 'done' };
      }
      await markSending(batch);
      // Sent before a crash, maybe: say so rather than double silently (at-least-once).
      const repeated = batch.some((entry) => entry.sending);
      if (!plainOnly.has(key)) {
        const refusal = await sendFull(channel, source, repeated, options.relayOutcomes);
        if (refusal === undefined) {
          await clearSendErrors(batch);
          return { kind: 'done' };
        }
        log.warn({ reason: refusal }, 'notification could not be built or was refused as malformed; sending its plain form');
        plainOnly.set(key, refusal);
      }
      await sendPlain(channel, first.chat.chatId, withRepeatNote(buildFallbackNotice(source, plainOnly.get(key)!), repeated));
      await clearSendErrors(batch);
      return { kind: 'done' };
    } catch (error) {
      await recordSendError(batch, error);
      if (error instanceof SendError && error.unauthorized) {
        halt(first.chat.platform, error);
        return { kind: 'halt' };
      }
      if (error instanceof SendError && (error.permanent || error.malformed)) {
        log.error({ err: error }, 'notification refused for good; dropped');
        return { kind: 'dropped', reason: error.message };
      }
      log.warn({ err: error }, 'notification failed; will retry');
      return { kind: 'retry', retryAfterMs: error instanceof SendError ? error.retryAfterMs : undefined };
    }
  }

  /** Marks entries as being sent (once per run), with the chat's send times, before the first try. */
  async function markSending(batch: OutboxEntry[]): Promise<void> {
    const first = batch[0]!;
    const unmarked = batch.filter((entry) => !marked.has(entryId(entry)));
    if (unmarked.length === 0) return;
    await outbox.markSending(unmarked, { chat: first.chat, times: pacing.recentWithSend(first.chat) });
    for (const entry of unmarked) marked.add(entryId(entry));
  }

  /** An alert's (or a watch's) message, built from what is stored now; one no longer worth telling is dropped. */
  async function sendAlert(channel: Channel, entry: OutboxEntry): Promise<Outcome> {
    const message = await (entry.watch ? options.watchMessage : options.alertMessage)?.(entry);
    if (!message) return { kind: 'done' };
    await markSending([entry]);
    await channel.send(entry.chat.chatId, withRepeatNote(message, entry.sending === true));
    await clearSendErrors([entry]);
    return { kind: 'done' };
  }

  async function recordSendError(batch: OutboxEntry[], error: unknown): Promise<void> {
    const endpointIds = [...new Set(batch.map((entry) => entry.endpointId))];
    const message = error instanceof Error ? error.message : String(error);
    await sendErrors.record(endpointIds, { at: now(), message }).catch((failure: unknown) => logger.error({ err: failure }, 'could not record a send error'));
    for (const id of endpointIds) failing.add(id);
  }

  async function clearSendErrors(batch: OutboxEntry[]): Promise<void> {
    const cleared = [...new Set(batch.map((entry) => entry.endpointId))].filter((id) => failing.delete(id));
    if (cleared.length > 0) await sendErrors.clear(cleared).catch((failure: unknown) => logger.error({ err: failure }, 'could not clear a send error'));
  }

  /** Retrying cannot help a refused token, and every chat would log it: say it once, keep everything, send no more. */
  function halt(platform: string, error: SendError): void {
    if (halted.has(platform)) return;
    halted.add(platform);
    logger.error({ err: error, platform }, `${error.message}. No more ${platform} notifications are sent until hookwatch restarts with a working token; they wait in the outbox.`);
  }

  /** Sends the full notification; says why when it cannot be built or the platform refuses it as malformed. */
  async function sendFull(channel: Channel, source: NotificationSource, repeated: boolean, outcomes?: (deliveryId: string) => string[]): Promise<string | undefined> {
    let message: Message;
    try {
      message = build(source, outcomes);
    } catch (error) {
      return `it could not be built (${String(error)})`;
    }
    try {
      await channel.send(source.batch[0]!.chat.chatId, withRepeatNote(message, repeated));
      return undefined;
    } catch (error) {
      // A channel throws SendError for what the platform answered; anything else came from making the message.
      if (!(error instanceof SendError)) return `it could not be rendered (${String(error)})`;
      if (error.malformed) return `the chat platform refused it (${error.message})`;
      throw error;
    }
  }

  /** Queues stored entries, leaving out those this dispatcher sent (or let go of) while reading them. */
  async function adopt(load: () => Promise<OutboxEntry[]>): Promise<void> {
    for (const entry of await reads.read(load, entryId)) enqueue(entry);
  }

  return {
    enqueue,
    /** Queues everything left in the outbox by an earlier run (or an earlier leader). */
    async resume(): Promise<void> {
      for (const id of await sendErrors.endpointIds()) failing.add(id);
      await adopt(outbox.pending);
    },
    /** Queues the entries another process stored under these keys (those still there). */
    adopt: (entryKeys: string[]) => adopt(() => outbox.entriesAt(entryKeys)),
    /** The leader's safety net for a hand-over that was lost: the whole outbox, what is queued already left as it is. */
    rescan: () => adopt(outbox.pending),
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

/** The last try: a channel that throws anything but a SendError could not render even this, so it is dropped. */
async function sendPlain(channel: Channel, chatId: string, message: Message): Promise<void> {
  try {
    await channel.send(chatId, message);
  } catch (error) {
    throw error instanceof SendError ? error : new SendError(`its plain form could not be rendered (${String(error)})`, { malformed: true, cause: error });
  }
}

function withRepeatNote(message: Message, repeated: boolean): Message {
  return repeated ? { ...message, lines: [...(message.lines ?? []), REPEAT_NOTE] } : message;
}

/** One delivery: its full notification. More: a summary from the outbox entries. May throw on what a sender made hard to show. */
function build({ batch, summary, endpoints, delivery }: NotificationSource, outcomes?: (deliveryId: string) => string[]): Message {
  const items = batch.map((entry) => ({ entry, endpoint: endpoints.get(entry.endpointId)! }));
  if (summary) return buildBurstSummary(items);
  const [{ entry, endpoint }] = items as [(typeof items)[0]];
  if (entry.relay) return buildRelayFailure(entry.relay, endpoint, entry.deliveryId);
  return delivery ? buildNotification(delivery, endpoint, outcomes?.(delivery.id)) : buildPrunedNotice(entry, endpoint);
}

/** Alerts and watch changes are built from their own records at send time and never merged into a summary. */
function goesAlone(entry: OutboxEntry): boolean {
  return entry.alert !== undefined || entry.watch !== undefined;
}
