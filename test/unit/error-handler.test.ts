import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/http/create-http-app.ts';
import { createLogger } from '../../src/logger.ts';

describe('the HTTP error handler', () => {
  it('logs a failed request without the endpoint token or email-link token in its path', async () => {
    const lines: string[] = [];
    const app = express();
    app.use((_req, _res, next) => next(new Error('store not answering')));
    app.use(errorHandler(createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } })));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/wh/endpointTokenAbc123/orders?x=1`, { method: 'POST' })).status).toBe(500);
      await fetch(`${base}/email/unsubscribe/linkTokenXyz789`);
      await fetch(`${base}/healthz`);
    } finally {
      server.close();
    }
    const urls = lines.map((line) => (JSON.parse(line) as { url: string }).url);
    expect(urls).toEqual(['/wh/[redacted]/orders', '/email/unsubscribe/[redacted]', '/healthz']);
  });
});
