import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundAgent } from '../../../src/outbound/create-outbound-agent.ts';
import { pollUrl } from '../../../src/watches/poll-url.ts';
import { LocalServer } from '../../fakes/local-server.ts';

describe('one poll of a URL', () => {
  let server: LocalServer;
  const big = Buffer.alloc(5 * 1024 * 1024, 'x');
  beforeAll(async () => {
    server = await LocalServer.listen((request, response) => {
      if (request.url === '/big') return void response.writeHead(200, { 'content-length': big.length }).end(big);
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`${request.headers['if-none-match']} ${request.headers['if-modified-since']}`);
    });
  });
  afterAll(() => server.close());
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it('reads at most maxBytes of a larger answer and says how large it was', async () => {
    const result = await pollUrl({ url: url('/big'), headers: [] }, { agent: createOutboundAgent({ allowPrivate: true }), maxBytes: 1000, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: 'answer', status: 200, size: big.length, truncated: true });
    expect(result.kind === 'answer' && result.body.length).toBe(1000);
  });

  it('asks conditionally with the last ETag and Last-Modified', async () => {
    const result = await pollUrl({ url: url('/'), headers: [], etag: '"v1"', lastModified: 'Thu, 26 Nov 2026 09:00:00 GMT' }, { agent: createOutboundAgent({ allowPrivate: true }), maxBytes: 1000, timeoutMs: 5000 });
    expect(result.kind === 'answer' && result.body.toString()).toBe('"v1" Thu, 26 Nov 2026 09:00:00 GMT');
  });

  it('is refused a loopback address by the guarded agent, saying how to allow it', async () => {
    const result = await pollUrl({ url: url('/'), headers: [] }, { agent: createOutboundAgent({ allowPrivate: false }), maxBytes: 1000, timeoutMs: 5000 });
    expect(result).toEqual({ kind: 'failed', reason: '127.0.0.1 is a private, loopback or otherwise non-public address; set FORWARD_ALLOW_PRIVATE=true to allow it' });
  });
});
