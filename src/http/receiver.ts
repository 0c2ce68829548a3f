import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Delivery } from '../domain/delivery.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import type { DeliveryIdGenerator } from '../domain/ids.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { EventIdIndex } from '../store/event-id-index.ts';
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
  /** Where a delivery's event-id claim is given back when the delivery could not be stored. */
  eventIds: Pick<EventIdIndex, 'release'>;
  logger: Logger;
  alsoWrite?: (delivery: Delivery, endpoint: Endpoint) => AlsoWritten | undefined;
  /** The sender's address, as TRUST_PROXY says to read it. */
  clientAddress: (req: IncomingMessage) => string;
  /** Called after the delivery is durable, with whether notifications were queued. */
  onStored: (delivery: Delivery, endpoint: Endpoint, notified: boolean) => void;
}

/**
 * Records written in the delivery's own commit (forwarding's relay jobs, with the targets whose relays its
 * find entry marks pending), and what starts once they are durable; it may give the answer the sender
 * is to get instead of hookwatch's own (a sync target's).
 */
export interface AlsoWritten {
  entries: Array<[string, unknown]>;
  relayTargets: string[];
  stored: () => Promise<ForwardedAnswer> | undefined;
}

type Request = IncomingMessage;
type Response = ServerResponse;
/** The receiver's own handler: node's request and response, no express in between. */
export type WebhookHandler = (req: Request, res: Response, url: string) => Promise<void>;

/**
 * `/wh/<token>[/sub/path][?query]`, any method: capture exactly, persist, then answer. Served on
 * node's request and response directly (see create-http-app.ts), `url` in origin form.
 */
export function createReceiver(options: ReceiverOptions): WebhookHandler {
  const { endpoints, deliveries, maxBodyBytes, now, nextId, logger } = options;

  return async function receiveWebhook(req: Request, res: Response, url: string) {
    const [path = '', query = ''] = splitOnce(url, '?');
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
      method: req.method ?? '',
      subPath: path.slice(`/wh/${token}`.length),
      query,
      headers: pairs(req.rawHeaders),
      body: body.bytes.toString('base64'),
      size: body.bytes.length,
      ...(body.decodedFrom ? { decodedFrom: body.decodedFrom } : {}),
      sourceIp: options.clientAddress(req),
    };
    const notify = isMuted(endpoint, receivedAt) ? [] : [endpoint.owner];
    // Deleted while the body was read: the delete must find nothing of it, and the URL is gone.
    const stored = await endpoints.whileLive(endpoint.id, async () => {
      const { analysis, handshake, indexEntries } = options.analyze(delivery, endpoint);
      if (analysis) delivery.analysis = analysis;
      const also = options.alsoWrite?.(delivery, endpoint);
      const entries = [...indexEntries, ...(also?.entries ?? [])];
      try {
        await deliveries.add(delivery, notify, entries, also?.relayTargets);
      } catch (error) {
        options.eventIds.release(indexEntries);
        throw error;
      }
      return { handshake, also };
    });
    if (!stored) return notFound(req, res);
    const { handshake, also } = stored;
    const forwarded = also?.stored();
    if (handshake) answer(res, handshake.status, handshake.contentType, handshake.body);
    else if (forwarded) answerAsForwarded(res, await forwarded);
    else answerJson(res, 200, { ok: true, id: delivery.id });
    options.onStored(delivery, endpoint, notify.length > 0);
  }

  /**
   * A body of declared length (at most MAX_BODY_BYTES) is read and dropped, so the sender, still
   * uploading, reads the 503 instead of a reset; one of unknown length could go on: cut off.
   */
  function refuseBusy(req: Request, res: Response) {
    req.resume();
    if (req.headers['content-length'] === undefined) res.setHeader('connection', 'close');
    res.setHeader('retry-after', String(BUSY_RETRY_AFTER_S));
    answerJson(res, 503, { ok: false, error: `too many request bodies in flight; retry in ${BUSY_RETRY_AFTER_S} s` });
  }

  async function rejectTooLarge(req: Request, res: Response, endpoint: Endpoint) {
    req.resume(); // discard the rest so the client reads our answer instead of a reset
    res.setHeader('connection', 'close');
    answerJson(res, 413, { ok: false, error: `body larger than ${maxBodyBytes} bytes` });
    const at = now();
    const declared = Number(req.headers['content-length']);
    await endpoints
      .whileLive(endpoint.id, () => deliveries.addRejection(endpoint.id, nextId(at), { at, reason: 'too-large', size: Number.isFinite(declared) ? declared : null }))
      .catch((error: unknown) => logger.error({ err: error, endpointId: endpoint.id }, 'could not count a rejected delivery'));
  }
}

/** An answer given by the target a delivery was relayed to, passed on as it came. */
export interface ForwardedAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

function answerAsForwarded(res: Response, answer: ForwardedAnswer): void {
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.appendHeader(name, value);
  res.end(answer.body);
}

function notFound(req: Request, res: Response): void {
  req.resume();
  answer(res, 404, 'text/plain', 'Not Found');
}

/** A text answer with its length; text types say their charset, as express would add it. */
function answer(res: Response, status: number, contentType: string, body: string): void {
  if (status === 204) {
    res.writeHead(status).end();
    return;
  }
  const type = contentType.includes('charset') ? contentType : `${contentType}; charset=utf-8`;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
}

function answerJson(res: Response, status: number, value: unknown): void {
  answer(res, status, 'application/json', JSON.stringify(value));
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
