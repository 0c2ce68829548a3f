import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import { decodeDelivery, encodeDelivery, sqliteDeliveryBody } from '../../src/store/delivery-codec.ts';
import { earlierDeliveryFormat } from '../helpers/earlier-delivery-format.ts';
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
  it('keep the body as its bytes, last, and the rest deflated into less than half its JSON', () => {
    const delivery = deliveryWith(fixtureBytes(github));
    const stored = encodeDelivery(delivery);
    expect(decodeDelivery(stored)).toEqual(delivery);
    expect(stored.subarray(stored.length - delivery.size).equals(fixtureBytes(github))).toBe(true);
    const { body: _body, ...rest } = delivery;
    expect(stored.length - delivery.size).toBeLessThan(JSON.stringify(rest).length / 2);
  });

  it('keep the body where SQL reads it in place, and SQL reads none from a row of an earlier format', async () => {
    const delivery = deliveryWith(fixtureBytes(github));
    const db = new sqlite3.Database(':memory:');
    const read = (stored: Buffer) =>
      new Promise<unknown>((resolve, reject) => db.get(`SELECT ${sqliteDeliveryBody('?1')} AS body`, [stored], (error, row: { body: unknown }) => (error ? reject(error) : resolve(row.body))));
    expect(await read(encodeDelivery(delivery))).toBe(fixtureBytes(github).toString());
    expect(await read(earlierDeliveryFormat(delivery, 1))).toBeNull();
    db.close();
  });

  it('keep every byte value and hostile header text exactly', () => {
    const delivery = deliveryWith(Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256)), [['X-Odd', '"\\\u0000\u2028'], ['x-odd', '']]);
    expect(decodeDelivery(encodeDelivery(delivery))).toEqual(delivery);
  });

  it('read a row stored in this format before, so the dictionary its head was deflated with has not changed', () => {
    const stored = Buffer.from('AzAwMDAwMTExgzrcwDArxQACEpOSU8DxhuyRbPNco0LLikR0D5lbmpobm5uBdeLznD64zEbyYqKtoVqirRGaT2HFDb4iCbO0BDUxY2NBEQVKG4aGKKnDyMAYlIANjfVADTFKE0oBpDmLPUnA8yUAeyJvayI6dHJ1ZX0=', 'base64');
    const body = Buffer.from('{"ok":true}');
    expect(decodeDelivery(stored)).toEqual({
      ...deliveryWith(body, [['Content-Type', 'application/json'], ['X-GitHub-Event', 'ping']]),
      analysis: { provider: 'github', providerName: 'GitHub', event: 'ping', signature: { status: 'valid' } },
    });
  });

  it('read the bytes earlier versions wrote: deflated whole, or plain when large', () => {
    const delivery = deliveryWith(fixtureBytes(github));
    expect(decodeDelivery(earlierDeliveryFormat(delivery, 1))).toEqual(delivery);
    expect(decodeDelivery(earlierDeliveryFormat(delivery, 2))).toEqual(delivery);
  });

  it('read as before when written by earlier versions (a JSON object, body base64)', () => {
    const delivery = deliveryWith(fixtureBytes(github));
    expect(decodeDelivery(JSON.parse(JSON.stringify(delivery)))).toEqual(delivery);
  });

  it('refuse a format they do not know, naming the cause', () => {
    expect(() => decodeDelivery(Buffer.from([9, 1, 2]))).toThrow(/newer hookwatch/);
  });
});

