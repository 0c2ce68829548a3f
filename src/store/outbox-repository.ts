import { z } from 'zod';
import { chatRefSchema } from '../domain/chat.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';

export const outboxEntrySchema = z.object({
  deliveryId: z.string(),
  endpointId: z.string(),
  chat: chatRefSchema,
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

    async remove(entries: OutboxEntry[]): Promise<void> {
      await store.write({ delete: entries.map((entry) => keys.outboxEntry(entry.deliveryId, entry.chat)) });
    },
  };
}
