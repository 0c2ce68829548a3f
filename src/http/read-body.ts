import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw } from 'node:zlib';
import type { BodyHold } from './body-budget.ts';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** The bodies in flight already hold the whole budget: the sender should retry later. */
export class BodyBudgetError extends Error {
  override name = 'BodyBudgetError';
}

export interface ReceivedBody {
  bytes: Buffer;
  decodedFrom?: 'gzip' | 'deflate';
}

const decoders = { gzip: promisify(gunzip), deflate: promisify(inflate), rawDeflate: promisify(inflateRaw) };

/**
 * Reads the body exactly, refusing more than `limit` bytes (before and after decoding, so a
 * small gzip bomb is refused too). gzip/deflate bodies are decoded; one that fails to decode is
 * kept as received, undecoded. Every byte is taken from `hold` before it is kept: the declared
 * length up front, else each chunk as it comes, and the largest possible output before decoding.
 */
export async function readBody(req: IncomingMessage, limit: number, hold: BodyHold): Promise<ReceivedBody> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new BodyTooLargeError();
  const reservedUpFront = Number.isInteger(declared) && declared >= 0;
  if (reservedUpFront && !hold.grow(declared)) throw new BodyBudgetError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    if (!reservedUpFront && !hold.grow(chunk.length)) throw new BodyBudgetError();
    chunks.push(chunk);
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') return { bytes };
  if (!hold.grow(limit)) throw new BodyBudgetError();
  return decode(bytes, encoding === 'deflate' ? 'deflate' : 'gzip', limit);
}

async function decode(bytes: Buffer, kind: 'gzip' | 'deflate', limit: number): Promise<ReceivedBody> {
  const options = { maxOutputLength: limit };
  const attempts = kind === 'gzip' ? [decoders.gzip] : [decoders.deflate, decoders.rawDeflate];
  for (const attempt of attempts) {
    try {
      return { bytes: await attempt(bytes, options), decodedFrom: kind };
    } catch (error) {
      if (error instanceof RangeError) throw new BodyTooLargeError();
    }
  }
  return { bytes };
}
