import { z } from 'zod';
import { chatRefSchema } from '../domain/chat.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';

export const outboxEntrySchema = z.object({
  deliveryId: z.string(),
  endpointId: z.string(),
  chat: chatRefSchema,
  /** A run began sending it: if it is still here after a restart, the chat may already have it. */
  sending: z.boolean().optional(),
});
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;

/** Notifications not yet sent. Entries are written with their delivery (see delivery repository). */
export function createOutboxRepository(store: KeyValueStore) {
  return {
    /** Everything still queued, oldest delivery first. */
    async pending(): Promise<OutboxEntry[]> {
      return (await store.scan(keys.outbox)).map((entry) => outboxEntrySchema.parse(entry.value));
    },

    /** Recorded before the first send, so a resend after a crash can say it may be a repeat. */
    async markSending(entries: OutboxEntry[]): Promise<void> {
      await store.write({ set: entries.map((entry): [string, OutboxEntry] => [keys.outboxEntry(entry.deliveryId, entry.chat), { ...entry, sending: true }]) });
    },

    async remove(entries: OutboxEntry[]): Promise<void> {
      await store.write({ delete: entries.map((entry) => keys.outboxEntry(entry.deliveryId, entry.chat)) });
    },
  };
}
