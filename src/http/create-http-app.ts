import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import { REDACTED } from '../config.ts';
import type { Logger } from '../logger.ts';
import { originForm } from './origin-form.ts';
import type { KeyValueStore } from '../store/key-value-store.ts';

export interface HttpAppOptions {
  trustProxy: boolean | number | string;
  store: KeyValueStore;
  receiver: RequestHandler;
  /** Chat platforms' own endpoints (Telegram webhook, Slack events). */
  platformRoutes: Router;
  logger: Logger;
}

/** The one express app: receiver, health, and (from the channels) platform endpoints. No listen() here. */
export function createHttpApp(options: HttpAppOptions): Express {
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
  // `use`, not a route: a route would percent-decode the sub-path and answer 400 to bytes like %ff.
  app.use('/wh', options.receiver);
  app.use(options.platformRoutes);
  return app;
}

/** Paths that carry a capability token (an endpoint's URL, an email link): it never reaches a log. */
const TOKEN_IN_PATH = /^(\/wh|\/email\/confirm|\/email\/unsubscribe)\/[^/]+/;

/** Mounted last: a clear answer without a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function handleError(error: unknown, req, res, _next) {
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    if (status >= 500) logger.error({ err: error, method: req.method, url: req.path.replace(TOKEN_IN_PATH, `$1/${REDACTED}`) }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({ ok: false, error: status >= 500 ? 'internal error' : 'bad request' });
  };
}
