import { z } from 'zod';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';

export const sendErrorSchema = z.object({ at: z.number(), message: z.string() });
export type SendErrorRecord = z.infer<typeof sendErrorSchema>;

export type SendErrorRepository = ReturnType<typeof createSendErrorRepository>;

/**
 * The last reason an endpoint's notification could not be sent (chat gone, bot removed, token refused),
 * kept until a later one goes out, so `show`, `list` and the digest can say what the logs said.
 * Written only by the dispatcher.
 */
export function createSendErrorRepository(store: KeyValueStore) {
  return {
    async record(endpointIds: string[], error: SendErrorRecord): Promise<void> {
      await store.write({ set: endpointIds.map((id): [string, unknown] => [keys.sendError(id), error]) });
    },
    async clear(endpointIds: string[]): Promise<void> {
      await store.write({ delete: endpointIds.map(keys.sendError) });
    },
    async get(endpointId: string): Promise<SendErrorRecord | undefined> {
      const value = await store.get(keys.sendError(endpointId));
      return value === undefined ? undefined : sendErrorSchema.parse(value);
    },
    /** Endpoints with an error recorded, e.g. by an earlier run. */
    async endpointIds(): Promise<string[]> {
      return (await store.scan(keys.sendErrors, { keysOnly: true })).map((entry) => lastSegment(entry.key));
    },
  };
}
