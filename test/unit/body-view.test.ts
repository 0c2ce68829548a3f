import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import { viewBody } from '../../src/notify/body-view.ts';

const delivery = (body: string, contentType = 'application/json'): Delivery => ({
  id: '01m8801200000000',
  endpointId: 'e',
  receivedAt: 0,
  method: 'POST',
  subPath: '',
  query: '',
  sourceIp: '127.0.0.1',
  headers: [['Content-Type', contentType]],
  body: Buffer.from(body).toString('base64'),
  size: Buffer.byteLength(body),
});

describe('the view of a delivery body', () => {
  it('is decided once per delivery: its find entry and its notification share one parse', () => {
    const received = delivery('{"order":{"total":250}}');
    const first = viewBody(received);
    expect(first).toEqual({ kind: 'json', text: '{"order":{"total":250}}', value: { order: { total: 250 } } });
    expect(viewBody(received)).toBe(first);
  });

  it('is decided anew for another delivery with the same body (one read back from the store)', () => {
    expect(viewBody(delivery('a=1', 'application/x-www-form-urlencoded'))).not.toBe(viewBody(delivery('a=1', 'application/x-www-form-urlencoded')));
  });
});
