import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, splitIntoPayloads } from '../../src/cluster/split-into-payloads.ts';

describe('splitIntoPayloads', () => {
  it('keeps every item, in order, in payloads whose JSON fits the limit with its envelope', () => {
    const items = Array.from({ length: 3000 }, (_, i) => `outbox:chat:${i}:é${'x'.repeat(i % 50)}`);
    const { payloads, tooLarge } = splitIntoPayloads(items, MAX_PAYLOAD_BYTES, 40);
    expect(tooLarge).toEqual([]);
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.flat()).toEqual(items);
    for (const payload of payloads) expect(Buffer.byteLength(JSON.stringify(payload)) + 40).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });

  it('sets aside an item too large for any payload and sends the rest', () => {
    const huge = 'ü'.repeat(5000);
    expect(splitIntoPayloads(['a', huge, 'b'], MAX_PAYLOAD_BYTES, 40)).toEqual({ payloads: [['a', 'b']], tooLarge: [huge] });
  });

  it('sends nothing for nothing', () => {
    expect(splitIntoPayloads([], MAX_PAYLOAD_BYTES, 40)).toEqual({ payloads: [], tooLarge: [] });
  });
});
