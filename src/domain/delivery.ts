import { z } from 'zod';

/** What the providers made of a delivery, decided once when it arrived. */
export const analysisSchema = z.object({
  provider: z.string(),
  providerName: z.string(),
  event: z.string().optional(),
  eventId: z.string().optional(),
  summary: z.string().optional(),
  signature: z.object({ status: z.enum(['valid', 'invalid', 'unsigned', 'unverified']), reason: z.string().optional() }),
  /** The first delivery with the same provider event id, when this one is a redelivery. */
  duplicateOf: z.string().optional(),
});
export type Analysis = z.infer<typeof analysisSchema>;

export const deliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  receivedAt: z.number(),
  method: z.string(),
  /** What followed `/wh/<token>` in the path, '' or starting with '/'. */
  subPath: z.string(),
  /** The raw query string without '?', exactly as received. */
  query: z.string(),
  /** Header lines as received: original case, order and repeats. */
  headers: z.array(z.tuple([z.string(), z.string()])),
  /** Body bytes, base64. Decoded when it arrived gzip/deflate encoded (see `decodedFrom`). */
  body: z.string(),
  size: z.number(),
  decodedFrom: z.enum(['gzip', 'deflate']).optional(),
  sourceIp: z.string(),
  analysis: analysisSchema.optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/** A request refused before storing (too large); kept so `show` can count them. */
export const rejectionSchema = z.object({
  at: z.number(),
  reason: z.literal('too-large'),
  size: z.number().nullable(),
});
export type Rejection = z.infer<typeof rejectionSchema>;

/** A notification dropped because its chat refused it for good, even in plain form; kept so `show` can tell. */
export const undeliveredSchema = z.object({
  at: z.number(),
  chat: z.string(),
  reason: z.string(),
});
export type Undelivered = z.infer<typeof undeliveredSchema>;

/** What to call a delivery in a summary or list: its event, else its method and path. */
export function eventLabel(delivery: Delivery): string {
  return delivery.analysis?.event ?? `${delivery.method} ${delivery.subPath || '/'}`;
}

export function headerValue(delivery: Delivery, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return delivery.headers.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

export function deliveryBody(delivery: Delivery): Buffer {
  return Buffer.from(delivery.body, 'base64');
}
