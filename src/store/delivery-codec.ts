import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { deliverySchema, type Delivery } from '../domain/delivery.ts';
import { DELIVERY_HEAD_DICTIONARY } from './delivery-head-dictionary.ts';

/** The first byte of a stored delivery: how the rest is written. Earlier versions wrote the first two. */
const DEFLATED = 1;
const PLAIN = 2;
const BODY_LAST = 3;
/** The body's offset in a BODY_LAST row, as decimal digits SQL can read. */
const OFFSET_DIGITS = 8;
const HEADER_BYTES = 1 + OFFSET_DIGITS;
/** A 4 KB window and small state: a 600-byte head compresses in tens of µs instead of the setup of a 32 KB one. */
const DEFLATE_OPTIONS = { level: 1, windowBits: 12, memLevel: 4 } as const;
/** BODY_LAST's head: the same, primed with what heads are made of. */
const HEAD_OPTIONS = { ...DEFLATE_OPTIONS, dictionary: DELIVERY_HEAD_DICTIONARY } as const;

/**
 * A delivery as stored: a format byte, the body's offset (8 decimal digits), the delivery's JSON
 * without the body, deflated (with a preset dictionary), then the body bytes as they came: no base64,
 * no JSON escaping, and where SQL finds it (sqliteDeliveryBody), so `find` reads a JSON body in place
 * instead of a copy. Earlier versions deflated the body too; a body searched in place cannot be.
 */
export function encodeDelivery(delivery: Delivery): Buffer {
  const { body, ...meta } = delivery;
  const head = deflateRawSync(Buffer.from(JSON.stringify(meta)), HEAD_OPTIONS);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = BODY_LAST;
  header.write(String(HEADER_BYTES + head.length).padStart(OFFSET_DIGITS, '0'), 1, 'latin1');
  return Buffer.concat([header, head, Buffer.from(body, 'base64')]);
}

/** A stored delivery in any format: bytes from `encodeDelivery` or earlier versions', or the JSON object (body base64) of the first. */
export function decodeDelivery(stored: unknown): Delivery {
  if (!Buffer.isBuffer(stored)) return deliverySchema.parse(stored);
  const { meta, body } = unpack(stored);
  return deliverySchema.parse({ ...(JSON.parse(meta.toString()) as object), body: body.toString('base64') });
}

function unpack(stored: Buffer): { meta: Buffer; body: Buffer } {
  const format = stored[0];
  if (format === BODY_LAST) {
    const offset = Number(stored.toString('latin1', 1, HEADER_BYTES));
    return { meta: inflateRawSync(stored.subarray(HEADER_BYTES, offset), { windowBits: HEAD_OPTIONS.windowBits, dictionary: HEAD_OPTIONS.dictionary }), body: stored.subarray(offset) };
  }
  if (format !== DEFLATED && format !== PLAIN) throw new Error(`a stored delivery has unknown format ${String(format)}; it was written by a newer hookwatch`);
  // A length (4 bytes), the JSON without the body, the body; all of it deflated in DEFLATED.
  const plain = format === DEFLATED ? inflateRawSync(stored.subarray(1), { windowBits: DEFLATE_OPTIONS.windowBits }) : stored.subarray(1);
  const length = plain.readUInt32BE(0);
  return { meta: plain.subarray(4, 4 + length), body: plain.subarray(4 + length) };
}

/** The body of a delivery stored in `column` as SQLite text, read in place; NULL for a row of an earlier format. */
export function sqliteDeliveryBody(column: string): string {
  return `CASE WHEN substr(${column}, 1, 1) = x'${BODY_LAST.toString(16).padStart(2, '0')}' THEN CAST(substr(${column}, 1 + CAST(CAST(substr(${column}, 2, ${OFFSET_DIGITS}) AS TEXT) AS INTEGER)) AS TEXT) END`;
}
