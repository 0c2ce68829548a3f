import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import { maskUrl } from '../../src/domain/mask-url.ts';
import { buildRelayRequest } from '../../src/forward/build-relay-request.ts';
import { retryDelay, isRetryable, MAX_RETRY_DELAY_MS } from '../../src/forward/retry-delay.ts';
import { parseRetryAfter } from '../../src/forward/send-relay.ts';

const delivery = (overrides: Partial<Delivery> = {}): Delivery => ({
  id: '01kb0qjm5r4g7x2a',
  endpointId: 'ep123456',
  receivedAt: 0,
  method: 'PUT',
  subPath: '/a/b',
  query: 'x=1&x=2',
  headers: [['Host', 'hooks.example.com'], ['Connection', 'keep-alive, X-Secret-Hop'], ['X-Secret-Hop', '1'], ['Content-Length', '2'], ['Transfer-Encoding', 'chunked'], ['Keep-Alive', 'timeout=5'], ['Upgrade', 'h2c'], ['Expect', '100-continue'], ['TE', 'trailers'], ['Content-Encoding', 'gzip'], ['X-Forwarded-For', '10.0.0.1'], ['X-B', '2'], ['x-a', '1'], ['X-B', '3']],
  body: Buffer.from('{}').toString('base64'),
  size: 2,
  sourceIp: '203.0.113.9',
  ...overrides,
});

describe('the relayed request', () => {
  it('appends the sub-path and query to the target\'s, and keeps the sender\'s headers in order minus hop-by-hop ones', () => {
    const relay = buildRelayRequest(delivery(), 'https://app.example.com/hooks/?k=v', 'https://hooks.example.com');
    expect(relay.url).toBe('https://app.example.com/hooks/a/b?k=v&x=1&x=2');
    expect(relay.method).toBe('PUT');
    expect(relay.body?.toString()).toBe('{}');
    expect(relay.headers).toEqual([
      'Content-Encoding', 'gzip', 'X-B', '2', 'x-a', '1', 'X-B', '3',
      'X-Hookwatch-Delivery', '01kb0qjm5r4g7x2a', 'X-Forwarded-For', '203.0.113.9', 'X-Forwarded-Host', 'hooks.example.com', 'X-Forwarded-Proto', 'https',
    ]);
  });

  it('drops Content-Encoding when the body was stored decoded, and sends no body for an empty one', () => {
    const relay = buildRelayRequest(delivery({ decodedFrom: 'gzip', body: '', size: 0, method: 'GET' }), 'http://app.example.com', 'http://localhost:3000');
    expect(relay.headers).not.toContain('Content-Encoding');
    expect(relay.body).toBeUndefined();
    expect(relay.url).toBe('http://app.example.com/a/b?x=1&x=2');
  });

  it('turns credentials in the target URL into Basic auth unless the sender sent its own Authorization', () => {
    const basic = buildRelayRequest(delivery(), 'https://user:p%40ss@app.example.com', 'https://hooks.example.com');
    expect(basic.url).toBe('https://app.example.com/a/b?x=1&x=2');
    expect(basic.headers.slice(basic.headers.indexOf('Authorization'), basic.headers.indexOf('Authorization') + 2)).toEqual(['Authorization', `Basic ${Buffer.from('user:p@ss').toString('base64')}`]);
    const own = buildRelayRequest(delivery({ headers: [['Authorization', 'Bearer abc']] }), 'https://user:pass@app.example.com', 'https://hooks.example.com');
    expect(own.headers.filter((value) => value.startsWith('Basic'))).toEqual([]);
  });
});

describe('retries', () => {
  it('doubles from the base with jitter between half and all of it, up to the cap', () => {
    expect([1, 2, 3, 4].map((tries) => retryDelay(tries, undefined, 1000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(3, undefined, 1000, () => 0)).toBe(2000);
    expect(retryDelay(40, undefined, 1000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('waits at least what Retry-After asks, in seconds or as a date, capped', () => {
    expect(retryDelay(1, 30_000, 1000, () => 1)).toBe(30_000);
    expect(retryDelay(1, 10 * 86_400_000, 1000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('retries no answer, 408, 429 and 5xx; any other status is final', () => {
    expect([undefined, 408, 429, 500, 503].map(isRetryable)).toEqual([true, true, true, true, true]);
    expect([200, 301, 400, 401, 404, 410, 422].map(isRetryable)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('a target URL in chat', () => {
  it('hides credentials and credential-looking query values', () => {
    expect(maskUrl('https://user:hunter2@app.example.com/x?token=abcdef123456&page=2')).toBe('https://••••@app.example.com/x?token=••••3456&page=2');
    expect(maskUrl('not a url')).toBe('not a url');
  });
});
