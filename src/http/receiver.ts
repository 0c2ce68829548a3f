import type { Request, RequestHandler, Response } from 'express';
import type { Delivery } from '../domain/delivery.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import type { DeliveryIdGenerator } from '../domain/ids.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { createDeliveryAnalyzer } from './analyze-delivery.ts';
import { BodyTooLargeError, readBody } from './read-body.ts';

export interface ReceiverOptions {
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  maxBodyBytes: number;
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

    let body;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      await rejectTooLarge(req, res, endpoint);
      return;
    }

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
      const { analysis, handshake, indexEntry } = await options.analyze(delivery, endpoint);
      if (analysis) delivery.analysis = analysis;
      await deliveries.add(delivery, notify, indexEntry ? [indexEntry] : []);
      return { handshake };
    });
    if (!stored) return notFound(req, res);
    const { handshake } = stored;
    if (handshake) res.status(handshake.status).type(handshake.contentType).send(handshake.body);
    else res.status(200).json({ ok: true, id: delivery.id });
    options.onStored(delivery, endpoint, notify.length > 0);
  };

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
