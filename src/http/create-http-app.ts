import express, { type ErrorRequestHandler, type Router } from 'express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import proxyAddr from 'proxy-addr';
import { REDACTED } from '../config.ts';
import type { Logger } from '../logger.ts';
import { originForm } from './origin-form.ts';
import type { WebhookHandler } from './receiver.ts';
import type { KeyValueStore } from '../store/key-value-store.ts';

export interface HttpAppOptions {
  trustProxy: boolean | number | string;
  store: KeyValueStore;
  /** Made with the app's reading of TRUST_PROXY, for the address it stores. */
  receiver: (clientAddress: (req: IncomingMessage) => string) => WebhookHandler;
  /** Chat platforms' own endpoints (Telegram webhook, Slack events). */
  platformRoutes: Router;
  logger: Logger;
}

/**
 * The server's request listener: `/wh/` goes to the receiver on node's request and response (no
 * router walk, no middleware: it is the path every delivery takes); everything else to the express
 * app (health, platform endpoints). No listen() here.
 */
export function createHttpApp(options: HttpAppOptions): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('query parser', false);
  app.use(function acceptAbsoluteForm(req, _res, next) {
    req.url = req.originalUrl = originForm(req.url);
    next();
  });

  app.get('/healthz', async function health(_req, res) {
    try {
      await options.store.ping();
      res.json({ ok: true });
    } catch {
      res.status(503).json({ ok: false, error: 'store not answering' });
    }
  });
  app.use(options.platformRoutes);
  app.use(errorHandler(options.logger));

  const trust = app.get('trust proxy fn') as Parameters<typeof proxyAddr>[1];
  const receiver = options.receiver((req) => proxyAddr(req, trust));
  return function route(req, res) {
    const url = originForm(req.url ?? '/');
    // Compared as sent (no percent-decoding, so bytes like %ff reach the receiver as they are), in any case as express routed it.
    if (url.slice(0, 4).toLowerCase() !== '/wh/') return void app(req, res);
    receiver(req, res, url).catch((error: unknown) => failRequest(options.logger, error, req, res, url));
  };
}

/** A webhook request that failed in the receiver: logged without its token, a 500 if nothing was answered. */
function failRequest(logger: Logger, error: unknown, req: IncomingMessage, res: ServerResponse, url: string): void {
  logger.error({ err: error, method: req.method, url: redactPath(url.split('?')[0]!) }, 'request failed');
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ ok: false, error: 'internal error' });
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

const redactPath = (path: string) => path.replace(TOKEN_IN_PATH, `$1/${REDACTED}`);

/** Paths that carry a capability token (an endpoint's URL, an email link): it never reaches a log. */
const TOKEN_IN_PATH = /^(\/wh|\/email\/confirm|\/email\/unsubscribe)\/[^/]+/;

/** Mounted last: a clear answer without a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function handleError(error: unknown, req, res, _next) {
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    if (status >= 500) logger.error({ err: error, method: req.method, url: redactPath(req.path) }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({ ok: false, error: status >= 500 ? 'internal error' : 'bad request' });
  };
}
