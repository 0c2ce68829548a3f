import { deflateRawSync } from 'node:zlib';
import type { Delivery } from '../../src/domain/delivery.ts';

/**
 * A delivery as the versions before the body was stored last wrote it: a format byte, then a length,
 * the JSON without the body and the body, deflated (1, up to 64 KB) or not (2).
 */
export function earlierDeliveryFormat(delivery: Delivery, format: 1 | 2): Buffer {
  const { body, ...meta } = delivery;
  const json = Buffer.from(JSON.stringify(meta));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const plain = Buffer.concat([length, json, Buffer.from(body, 'base64')]);
  return Buffer.concat([Buffer.from([format]), format === 1 ? deflateRawSync(plain, { level: 1, windowBits: 12, memLevel: 4 }) : plain]);
}
