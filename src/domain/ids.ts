import { randomBytes, randomInt } from 'node:crypto';

/** Crockford base32, lower case: digits sort before letters in ASCII, so ids sort by time. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10;
const RANDOM_CHARS = 6;
const RANDOM_SPACE = 32 ** RANDOM_CHARS;
/**
 * With several processes on one database, each holds one of these slots (cluster/create-node-slot.ts),
 * and the top bits of its ids' random part are its slot: two processes never make the same id.
 */
export const NODE_SLOTS = 1024;
/** Below the slot: ids one process can make in one millisecond, counting up from a random start in the lower half. */
const SLOT_SPACE = RANDOM_SPACE / NODE_SLOTS;

function encode(value: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

/** An endpoint's URL secret: 128 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Short, random, lower-case id for endpoints (users type prefixes of it). */
export function newEndpointId(): string {
  return encode(randomInt(32 ** 8), 8);
}

export type DeliveryIdGenerator = (nowMs: number) => string;

/**
 * Delivery ids sort by arrival: 10 characters of milliseconds then 6 of randomness that is
 * incremented, not redrawn, within one millisecond so ids from one process stay in order. With a
 * node slot (`slot()`: several processes), the random part's top bits are the slot, so processes never
 * collide; alone, all 30 bits are random.
 */
export function createDeliveryIdGenerator(slot: () => number | undefined = () => undefined): DeliveryIdGenerator {
  let lastMs = -1;
  let lastRandom = 0;
  let lastSlot: number | undefined;
  return function nextDeliveryId(nowMs) {
    const node = slot();
    const space = node === undefined ? RANDOM_SPACE : SLOT_SPACE;
    if (nowMs <= lastMs && node === lastSlot && lastRandom + 1 < space) {
      lastRandom += 1;
    } else {
      lastMs = Math.max(nowMs, lastMs + (nowMs <= lastMs ? 1 : 0));
      lastRandom = randomInt(space / 2);
      lastSlot = node;
    }
    return encode(lastMs, TIME_CHARS) + encode((node ?? 0) * SLOT_SPACE + lastRandom, RANDOM_CHARS);
  };
}

/** The smallest id of a given millisecond: ids below it arrived earlier. */
export function deliveryIdFloor(ms: number): string {
  return encode(ms, TIME_CHARS) + encode(0, RANDOM_CHARS);
}

export function deliveryIdTime(id: string): number {
  let ms = 0;
  for (const char of id.slice(0, TIME_CHARS)) ms = ms * 32 + ALPHABET.indexOf(char);
  return ms;
}

export const DELIVERY_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{1,16}$/;
