import { z } from 'zod';

/** Spec section 6: how often an API may be polled, and how many a chat may watch. */
export const WATCH_MIN_MS = 30_000;
export const WATCH_MAX_MS = 86_400_000;
export const WATCH_DEFAULT_MS = 300_000;
export const MAX_WATCHES_PER_CHAT = 50;
/** Headers and ignored paths a watch may carry: a chat cannot make a poll arbitrarily big. */
export const MAX_WATCH_HEADERS = 20;
export const MAX_WATCH_IGNORES = 50;

/**
 * A watched API. It owns an endpoint of the same name and chat: each answer worth telling is stored as
 * one of its deliveries, so `last`, `payload`, digests and alerts see it. Written by commands only.
 */
export const watchSchema = z.object({
  endpointId: z.string(),
  url: z.string(),
  everyMs: z.number(),
  /** Sent with every poll; values may be credentials (stored like a signing secret, never shown). */
  headers: z.array(z.tuple([z.string(), z.string()])),
  /** JSON paths left out of comparisons (`updated_at`, `data.meta`, `items[*].seen`). */
  ignore: z.array(z.string()),
  createdAt: z.number(),
});
export type Watch = z.infer<typeof watchSchema>;

/** Fields never printed in a log: a watch's headers carry the API's credentials. */
export const WATCH_SECRET_FIELDS = ['headers'] as const satisfies ReadonlyArray<keyof Watch>;

/** What the poller knows after its last poll. Written by the poller only, so commands never race it. */
export const watchStateSchema = z.object({
  /** The comparable form of the last answer told (baseline or change); unset before the first poll. */
  fingerprint: z.string().optional(),
  /** The ignored paths the fingerprint left out: after `ignore` changes them, the next answer is the new baseline, untold. */
  ignored: z.array(z.string()).optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  status: z.number().optional(),
  polledAt: z.number().optional(),
  changedAt: z.number().optional(),
  /** Polls in a row that failed (network error, error status): the backoff grows with it. */
  failures: z.number(),
  error: z.string().optional(),
});
export type WatchState = z.infer<typeof watchStateSchema>;
