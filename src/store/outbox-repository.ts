import { z } from 'zod';
import { chatKey, chatRefSchema, type ChatRef } from '../domain/chat.ts';
import { eventLabel, type Delivery, type Undelivered } from '../domain/delivery.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';

export const outboxEntrySchema = z.object({
  deliveryId: z.string(),
  endpointId: z.string(),
  chat: chatRefSchema,
  /** What a burst summary counts it as (see eventLabel): kept here so a summary of 1,000 reads no delivery. */
  label: z.string().optional(),
  signatureInvalid: z.boolean().optional(),
  /**
   * Set when the entry stands for many: the endpoint's deliveries from `firstId` to `deliveryId`, folded
   * into one when the chat's backlog outgrew its bound (dispatcher), counted by label.
   */
  folded: z
    // Labels as pairs, not an object: they come from payloads, and "__proto__" is a fine event name there.
    .object({ count: z.number(), firstId: z.string(), labels: z.array(z.tuple([z.string(), z.number()])), signatureInvalid: z.number() })
    .optional(),
  /** Set when the entry is an alert's message (deliveryId is then the message's own id): sent alone, never merged. */
  alert: z.object({ id: z.string(), note: z.enum(['opened', 'reminder', 'resolved']) }).optional(),
  /** Set when the entry tells a relay that failed for good (deliveryId is then the message's own id): merged like notifications. */
  relay: z.object({ deliveryId: z.string(), url: z.string(), outcome: z.string(), tries: z.number() }).optional(),
  /** Set when the entry tells a watched API's answer (the delivery): its first (baseline) or a change. Sent alone. */
  watch: z.object({ note: z.enum(['baseline', 'changed']) }).optional(),
  /** A run began sending it: if it is still here after a restart, the chat may already have it. */
  sending: z.boolean().optional(),
});
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

const recentSendsSchema = z.array(z.number());
/** When a chat was sent to lately (the dispatcher's pacer), kept so a restart keeps the platform's pace. */
export type RecentSends = { chat: ChatRef; times: number[] };

/** The notification of `delivery` for `chat`, with what a summary needs to count it. */
export function outboxEntryFor(delivery: Delivery, chat: ChatRef): OutboxEntry {
  return {
    deliveryId: delivery.id,
    endpointId: delivery.endpointId,
    chat,
    label: eventLabel(delivery),
    ...(delivery.analysis?.signature.status === 'invalid' ? { signatureInvalid: true } : {}),
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;

/** An entry's key, by which another process hands it to the leader. */
export const outboxKeyOf = (entry: OutboxEntry) => keys.outboxEntry(entry.deliveryId, entry.chat);

/**
 * Notifications not yet sent. Entries are written with their delivery (see delivery repository). A
 * chat's send times are written only when they differ from what this process last wrote or read: a
 * chat without a pace records none, so its sends cost no write of them at all.
 */
export function createOutboxRepository(store: KeyValueStore) {
  const knownSends = new Map<string, string>();

  /** Writes `op` with the chat's send times when those changed; forgets them if the write fails. */
  async function writeWithSends(op: { delete?: string[]; set?: Array<[string, unknown]> }, sends?: RecentSends): Promise<void> {
    const key = sends && keys.recentSends(sends.chat);
    const times = sends && JSON.stringify(sends.times);
    const changed = key !== undefined && knownSends.get(key) !== times;
    if (changed) knownSends.set(key, times!);
    try {
      await store.write({ ...op, set: [...(op.set ?? []), ...(changed ? [[key, sends!.times] as [string, unknown]] : [])] });
    } catch (error) {
      if (changed) knownSends.delete(key);
      throw error;
    }
  }

  return {
    /** Everything still queued, oldest delivery first. */
    async pending(): Promise<OutboxEntry[]> {
      return (await store.scan(keys.outbox)).map((entry) => outboxEntrySchema.parse(entry.value));
    },

    /** The entries stored under these keys (another process's), those still there. */
    async entriesAt(entryKeys: string[]): Promise<OutboxEntry[]> {
      return (await store.getMany(entryKeys)).flatMap((value) => (value === undefined ? [] : [outboxEntrySchema.parse(value)]));
    },

    /**
     * Recorded before the first send, so a resend after a crash can say it may be a repeat; `sends`
     * then includes this send, so a crash during it cannot make the next run send too soon.
     */
    async markSending(entries: OutboxEntry[], sends: RecentSends): Promise<void> {
      await writeWithSends({ set: entries.map((entry): [string, OutboxEntry] => [outboxKeyOf(entry), { ...entry, sending: true }]) }, sends);
    },

    /** `replaced` gives way to `folded` (each keyed by its last delivery, so maybe by a replaced key) in one write. */
    async fold(replaced: OutboxEntry[], folded: OutboxEntry[]): Promise<void> {
      await store.write({
        delete: replaced.map((entry) => outboxKeyOf(entry)),
        set: folded.map((entry): [string, OutboxEntry] => [outboxKeyOf(entry), entry]),
      });
    },

    /**
     * Sent (or given up): gone from the outbox, with the chat's send times recorded in the same write;
     * `dropped` (refused for good) leaves a record per entry on its endpoint, which `show` tells.
     */
    async remove(entries: OutboxEntry[], sends?: RecentSends, dropped?: { reason: string; at: number }): Promise<void> {
      const records = dropped
        ? entries.map((entry): [string, Undelivered] => [keys.undelivered(entry.endpointId, entry.deliveryId), { ...dropped, chat: chatKey(entry.chat) }])
        : [];
      await writeWithSends({ delete: entries.map((entry) => outboxKeyOf(entry)), set: records }, sends);
    },

    /** The chat's send times as the last `remove` recorded them, maybe by an earlier run. */
    async recentSends(chat: ChatRef): Promise<number[]> {
      const times = recentSendsSchema.safeParse(await store.get(keys.recentSends(chat)));
      if (!times.success) return [];
      knownSends.set(keys.recentSends(chat), JSON.stringify(times.data));
      return times.data;
    },
  };
}
