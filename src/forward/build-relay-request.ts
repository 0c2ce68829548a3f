import { deliveryBody, headerValue, type Delivery } from '../domain/delivery.ts';

/** Headers that describe one connection, not the message (RFC 9110 7.6.1), and its framing: never passed on. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'proxy-authorization', 'proxy-authenticate', 'content-length']);
/** Also not relayed: what undici sets itself (it throws on several hop-by-hop ones) and what hookwatch sets anew. */
const NOT_RELAYED = new Set([...HOP_BY_HOP, 'host', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto']);

export interface RelayRequest {
  url: string;
  method: string;
  /** Name, value, name, value...: order, case and repeats as received. */
  headers: string[];
  body: Buffer | undefined;
}

/**
 * The delivery as its sender made it, addressed to `targetUrl`: the sub-path appended to the target's
 * path, the query appended to its query, the headers in order minus hop-by-hop ones, the body bytes.
 * Added: `X-Hookwatch-Delivery` (the same on every try), `X-Forwarded-*`, and Basic credentials
 * written in the target URL when the sender sent no Authorization of its own.
 */
export function buildRelayRequest(delivery: Delivery, targetUrl: string, publicUrl: string): RelayRequest {
  const target = new URL(targetUrl);
  const named = new Set((headerValue(delivery, 'connection') ?? '').split(',').map((name) => name.trim().toLowerCase()));
  // A body that arrived compressed is stored decoded: its Content-Encoding no longer describes it.
  const dropped = (name: string) => NOT_RELAYED.has(name) || named.has(name) || (delivery.decodedFrom !== undefined && name === 'content-encoding');
  const headers = delivery.headers.filter(([name]) => !dropped(name.toLowerCase())).flat();
  const credentials = target.username || target.password ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` : undefined;
  if (credentials !== undefined && headerValue(delivery, 'authorization') === undefined) headers.push('Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  headers.push(
    'X-Hookwatch-Delivery', delivery.id,
    'X-Forwarded-For', delivery.sourceIp,
    'X-Forwarded-Host', headerValue(delivery, 'host') ?? new URL(publicUrl).host,
    'X-Forwarded-Proto', new URL(publicUrl).protocol.replace(':', ''),
  );
  const path = target.pathname.replace(/\/$/, '') + delivery.subPath || '/';
  const query = [target.search.slice(1), delivery.query].filter(Boolean).join('&');
  const body = deliveryBody(delivery);
  return {
    url: `${target.protocol}//${target.host}${path}${query ? `?${query}` : ''}`,
    method: delivery.method,
    headers,
    body: body.length === 0 ? undefined : body,
  };
}
