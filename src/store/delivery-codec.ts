import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { deliverySchema, type Delivery } from '../domain/delivery.ts';

/** The first byte of a stored delivery: how the rest is written. */
const DEFLATED = 1;
const PLAIN = 2;
/**
 * Larger rows are stored uncompressed: compressing 1 MB would hold the event loop for milliseconds,
 * and the bodies that make up a database's bulk are the small, frequent ones.
 */
const MAX_DEFLATED_BYTES = 64 * 1024;
/** A 4 KB window and small state: a 2 KB row compresses in tens of µs instead of the setup of a 32 KB one. */
const DEFLATE_OPTIONS = { level: 1, windowBits: 12, memLevel: 4 } as const;

/**
 * A delivery as stored: a format byte, then (deflated when small) the length of its JSON without
 * the body, that JSON, and the body bytes as they are: no base64, no JSON escaping. A 1-2 KB JSON
 * body with its headers takes about half its own size.
 */
export function encodeDelivery(delivery: Delivery): Buffer {
  const { body, ...meta } = delivery;
  const json = Buffer.from(JSON.stringify(meta));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const plain = Buffer.concat([length, json, Buffer.from(body, 'base64')]);
  return plain.length <= MAX_DEFLATED_BYTES
    ? Buffer.concat([Buffer.from([DEFLATED]), deflateRawSync(plain, DEFLATE_OPTIONS)])
    : Buffer.concat([Buffer.from([PLAIN]), plain]);
}

/** A stored delivery in either format: bytes from `encodeDelivery`, or the JSON object (body base64) of earlier versions. */
export function decodeDelivery(stored: unknown): Delivery {
  if (!Buffer.isBuffer(stored)) return deliverySchema.parse(stored);
  const format = stored[0];
  if (format !== DEFLATED && format !== PLAIN) throw new Error(`a stored delivery has unknown format ${String(format)}; it was written by a newer hookwatch`);
  const plain = format === DEFLATED ? inflateRawSync(stored.subarray(1), { windowBits: DEFLATE_OPTIONS.windowBits }) : stored.subarray(1);
  const length = plain.readUInt32BE(0);
  const meta: unknown = JSON.parse(plain.subarray(4, 4 + length).toString());
  return deliverySchema.parse({ ...(meta as object), body: plain.subarray(4 + length).toString('base64') });
}
