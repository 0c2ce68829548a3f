import { z } from 'zod';

/** At most this many targets per endpoint (spec section 4). */
export const MAX_TARGETS_PER_ENDPOINT = 3;

/** Where an endpoint's deliveries are relayed (the `forward` command). */
export const forwardTargetSchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  /** As typed, credentials and all: shown only through maskUrl. */
  url: z.string(),
  addedAt: z.number(),
  /** The sender waits for this target and gets its answer (one sync target per endpoint). */
  sync: z.boolean().optional(),
});
export type ForwardTarget = z.infer<typeof forwardTargetSchema>;

/** One delivery still to be relayed to one target: written with the delivery, gone once settled. */
export const relayJobSchema = z.object({
  deliveryId: z.string(),
  endpointId: z.string(),
  targetId: z.string(),
  url: z.string(),
  /** Tries made so far; the first try of a replay counts from zero again. */
  tries: z.number(),
  /** When the first try of this job was due: retries stop FORWARD_RETRY_HOURS after it. */
  since: z.number(),
  /** When the next try is due (ms); unset: at once. */
  dueAt: z.number().optional(),
  /** A replay to a URL that is not a target: one try, told in the reply, never retried or alerted. */
  once: z.boolean().optional(),
  /** Its sender waits for the answer: one try, never retried by hookwatch (the sender's own retries apply). */
  sync: z.boolean().optional(),
});
export type RelayJob = z.infer<typeof relayJobSchema>;

/** One try of a relay, as `attempts` lists it. */
export const relayAttemptSchema = z.object({
  at: z.number(),
  targetId: z.string(),
  url: z.string(),
  /** The target's status, or why there was none (`timed out after 10000 ms`, `connection refused`). */
  status: z.number().optional(),
  error: z.string().optional(),
  durationMs: z.number(),
  /** The answer's headers and its body's first bytes, as received (masked when shown). */
  headers: z.array(z.tuple([z.string(), z.string()])),
  excerpt: z.string(),
});
export type RelayAttempt = z.infer<typeof relayAttemptSchema>;

/** `-> 200 in 38 ms`, `-> timed out after 10000 ms`: an attempt in a line. */
export function describeAttempt(attempt: Pick<RelayAttempt, 'status' | 'error' | 'durationMs'>): string {
  return attempt.status === undefined ? `-> ${attempt.error ?? 'failed'}` : `-> ${attempt.status} in ${attempt.durationMs} ms`;
}
