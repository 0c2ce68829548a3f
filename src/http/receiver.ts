import type { Request, RequestHandler, Response } from 'express';
import type { Delivery } from '../domain/delivery.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import type { DeliveryIdGenerator } from '../domain/ids.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { createDeliveryAnalyzer } from './analyze-delivery.ts';
import type { BodyBudget, BodyHold } from './body-budget.ts';
import { BodyBudgetError, BodyTooLargeError, readBody, type ReceivedBody } from './read-body.ts';

/** Seconds a sender is asked to wait when the body budget is full: bodies in flight clear in well under that. */
const BUSY_RETRY_AFTER_S = 2;

export interface ReceiverOptions {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  maxBodyBytes: number;
  /** Shared by all requests: the bytes of bodies held at once. */
  bodyBudget: BodyBudget;
  now: () => number;
  nextId: DeliveryIdGenerator;
  analyze: ReturnType<typeof createDeliveryAnalyzer>;
  logger: Logger;
  /** Called after the delivery is durable, with whether notifications were queued. */
  onStored: (delivery: Delivery, endpoint: Endpoint, notified: boolean) => void;
}

/** `/wh/<token>[/sub/path][?query]`, any method: capture exactly, persist, then answer. */
export function createReceiver(options: ReceiverOptions): RequestHandler {
  const { endpoints, deliveries, maxBodyBytes, now, nextId, logger } = options;

  return async function receiveWebhook(req: Request, res: Response) {
    const [path = '', query = ''] = splitOnce(req.originalUrl, '?');
    const token = path.split('/')[2] ?? '';
    const endpoint = await endpoints.findByToken(token);
    if (!endpoint) return notFound(req, res);

    // Held until the delivery is stored and answered: that long its bytes (and copies) are in memory.
    const hold = options.bodyBudget.hold();
    try {
      const body = await readBodyOrAnswer(req, res, endpoint, hold);
      if (body) await store(req, res, endpoint, body, { path, query, token });
    } finally {
      hold.release();
    }
  };

  /** The body, or undefined once the request has been answered (413, 503) or has gone away. */
  async function readBodyOrAnswer(req: Request, res: Response, endpoint: Endpoint, hold: BodyHold): Promise<ReceivedBody | undefined> {
    try {
      return await readBody(req, maxBodyBytes, hold);
    } catch (error) {
      if (error instanceof BodyTooLargeError) await rejectTooLarge(req, res, endpoint);
      else if (error instanceof BodyBudgetError) refuseBusy(req, res);
      else if (!req.destroyed) throw error; // an aborted upload has no one to answer
      return undefined;
    }
  }

  async function store(req: Request, res: Response, endpoint: Endpoint, body: ReceivedBody, url: { path: string; query: string; token: string }) {
    const { path, query, token } = url;
    const receivedAt = now();
    const delivery: Delivery = {
      id: nextId(receivedAt),
      endpointId: endpoint.id,
      receivedAt,
      method: req.method,
      subPath: path.slice(`/wh/${token}`.length),
      query,
      headers: pairs(req.rawHeaders),
      body: body.bytes.toString('base64'),
      size: body.bytes.length,
      ...(body.decodedFrom ? { decodedFrom: body.decodedFrom } : {}),
      sourceIp: req.ip ?? req.socket.remoteAddress ?? '',
    };
    const notify = isMuted(endpoint, receivedAt) ? [] : [endpoint.owner];
    // Deleted while the body was read: the delete must find nothing of it, and the URL is gone.
    const stored = await endpoints.whileLive(endpoint.id, async () => {
      const { analysis, handshake, indexEntries } = await options.analyze(delivery, endpoint);
      if (analysis) delivery.analysis = analysis;
      await deliveries.add(delivery, notify, indexEntries);
      return { handshake };
    });
    if (!stored) return notFound(req, res);
    const { handshake } = stored;
    if (handshake) res.status(handshake.status).type(handshake.contentType).send(handshake.body);
    else res.status(200).json({ ok: true, id: delivery.id });
    options.onStored(delivery, endpoint, notify.length > 0);
  }

  /**
   * A body of declared length (at most MAX_BODY_BYTES) is read and dropped, so the sender, still
   * uploading, reads the 503 instead of a reset; one of unknown length could go on: cut off.
   */
  function refuseBusy(req: Request, res: Response) {
    req.resume();
    if (req.headers['content-length'] === undefined) res.set('connection', 'close');
    res
      .status(503)
      .set('retry-after', String(BUSY_RETRY_AFTER_S))
      .json({ ok: false, error: `too many request bodies in flight; retry in ${BUSY_RETRY_AFTER_S} s` });
  }

  async function rejectTooLarge(req: Request, res: Response, endpoint: Endpoint) {
    req.resume(); // discard the rest so the client reads our answer instead of a reset
    res.status(413).set('connection', 'close').json({ ok: false, error: `body larger than ${maxBodyBytes} bytes` });
    const at = now();
    const declared = Number(req.headers['content-length']);
    await endpoints
      .whileLive(endpoint.id, () => deliveries.addRejection(endpoint.id, nextId(at), { at, reason: 'too-large', size: Number.isFinite(declared) ? declared : null }))
      .catch((error: unknown) => logger.error({ err: error, endpointId: endpoint.id }, 'could not count a rejected delivery'));
  }
}

function notFound(req: Request, res: Response): void {
  req.resume();
  res.status(404).type('text/plain').send('Not Found');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
