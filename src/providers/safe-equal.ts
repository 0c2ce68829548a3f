import { timingSafeEqual } from 'node:crypto';

/** Constant-time comparison; timingSafeEqual throws on different lengths, so check that first. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
