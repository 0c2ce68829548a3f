import { z } from 'zod';
import { chatRefSchema } from './chat.ts';

export const ENDPOINT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/**
 * How buttons name an endpoint: `id:<id>` resolves by id only, never by a name (names cannot
 * hold a colon), so a name that looks like an id cannot catch another endpoint's button.
 */
export const ID_REF_PREFIX = 'id:';
export const idRef = (endpoint: { id: string }) => `${ID_REF_PREFIX}${endpoint.id}`;

export const endpointSchema = z.object({
  id: z.string(),
  token: z.string(),
  name: z.string(),
  owner: chatRefSchema,
  createdAt: z.number(),
  /** null: not muted; a number: muted until then (ms); 'forever': until unmuted. */
  mutedUntil: z.union([z.number(), z.literal('forever')]).nullable(),
  /** The provider's signing secret (or secrets); set with the `secret` command, never shown again. */
  signingSecret: z.string().optional(),
});
export type Endpoint = z.infer<typeof endpointSchema>;

/** Fields never printed in a log: the URL token lets anyone post to the endpoint. */
export const ENDPOINT_SECRET_FIELDS = ['token', 'signingSecret'] as const satisfies ReadonlyArray<keyof Endpoint>;

export function isMuted(endpoint: Endpoint, nowMs: number): boolean {
  return endpoint.mutedUntil === 'forever' || (endpoint.mutedUntil !== null && endpoint.mutedUntil > nowMs);
}
