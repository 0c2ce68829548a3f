import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import { decodeDelivery, encodeDelivery } from '../../src/store/delivery-codec.ts';
import { fixtureBytes, fixtureNamed } from '../helpers/fixtures.ts';

const github = fixtureNamed('github');

function deliveryWith(body: Buffer, headers: Array<[string, string]> = Object.entries(github.headers)): Delivery {
  return {
    id: '01jd0000000abcde',
    endpointId: 'k7m2q9xa',
    receivedAt: Date.UTC(2026, 10, 27),
    method: 'POST',
    subPath: '/hooks',
    query: 'a=1&a=2',
    headers,
    body: body.toString('base64'),
    size: body.length,
    sourceIp: '203.0.113.9',
    analysis: { provider: 'github', providerName: 'GitHub', event: 'push', eventId: 'abc', signature: { status: 'valid' } },
  };
}

describe('stored deliveries', () => {
  it('keep a JSON body and its headers in under half the body\'s size again', () => {
    const delivery = deliveryWith(fixtureBytes(github));
    const stored = encodeDelivery(delivery);
    expect(decodeDelivery(stored)).toEqual(delivery);
    expect(stored.length).toBeLessThan(1.5 * delivery.size);
  });

  it('keep every byte value and hostile header text exactly', () => {
    const delivery = deliveryWith(Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256)), [['X-Odd', '"\\\u0000\u2028'], ['x-odd', '']]);
    expect(decodeDelivery(encodeDelivery(delivery))).toEqual(delivery);
  });

  it('keep a large body as it is, uncompressed', () => {
    const body = Buffer.alloc(200_000, 'a');
    const stored = encodeDelivery(deliveryWith(body));
    expect(stored.length).toBeGreaterThan(body.length);
    expect(decodeDelivery(stored).body).toBe(body.toString('base64'));
  });

  it('read as before when written by earlier versions (a JSON object, body base64)', () => {
    const delivery = deliveryWith(fixtureBytes(github));
    expect(decodeDelivery(JSON.parse(JSON.stringify(delivery)))).toEqual(delivery);
  });

  it('refuse a format they do not know, naming the cause', () => {
    expect(() => decodeDelivery(Buffer.from([9, 1, 2]))).toThrow(/newer hookwatch/);
  });
});
