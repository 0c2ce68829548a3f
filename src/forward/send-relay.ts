import { request, type Dispatcher } from 'undici';
import { BlockedAddressError } from '../outbound/create-outbound-agent.ts';
import type { RelayRequest } from './build-relay-request.ts';

/** Bytes of a target's answer kept for `attempts`: the rest is read no further. */
export const ANSWER_EXCERPT_BYTES = 500;

export type RelayAnswer =
  | { kind: 'answered'; status: number; headers: Array<[string, string]>; excerpt: string; retryAfterMs?: number; durationMs: number; body?: Buffer }
  | { kind: 'failed'; error: string; blocked: boolean; durationMs: number };

/**
 * One try: the request through the guarded agent, no redirects followed, cut off after `timeoutMs`.
 * With `keepBodyBytes` (a sync relay) the whole answer body is kept, and one larger than that is a failure.
 */
export async function sendRelay(relay: RelayRequest, options: { agent: Dispatcher; timeoutMs: number; now: () => number; keepBodyBytes?: number }): Promise<RelayAnswer> {
  const started = options.now();
  const elapsed = () => Math.max(0, Math.round(options.now() - started));
  try {
    const response = await request(relay.url, {
      method: relay.method as Dispatcher.HttpMethod,
      headers: relay.headers,
      body: relay.body,
      dispatcher: options.agent,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const kept = await readUpTo(response.body, options.keepBodyBytes ?? ANSWER_EXCERPT_BYTES);
    if (kept.cut && options.keepBodyBytes !== undefined) return { kind: 'failed', error: `answer larger than ${options.keepBodyBytes} bytes`, blocked: false, durationMs: elapsed() };
    const excerpt = kept.bytes.subarray(0, ANSWER_EXCERPT_BYTES).toString('utf8');
    const headers = Object.entries(response.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((one): [string, string] => [name, one]));
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
    return { kind: 'answered', status: response.statusCode, headers, excerpt, durationMs: elapsed(), ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(options.keepBodyBytes === undefined ? {} : { body: kept.bytes }) };
  } catch (error) {
    return { kind: 'failed', error: describeFailure(error, options.timeoutMs), blocked: findBlocked(error) !== undefined, durationMs: elapsed() };
  }
}

/** The body's first `limit` bytes; `cut` when there was more (left unread: leaving the loop destroys the stream). */
async function readUpTo(body: AsyncIterable<Buffer>, limit: number): Promise<{ bytes: Buffer; cut: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    if (length + chunk.length > limit) {
      parts.push(chunk.subarray(0, limit - length));
      return { bytes: Buffer.concat(parts), cut: true };
    }
    parts.push(chunk);
    length += chunk.length;
  }
  return { bytes: Buffer.concat(parts), cut: false };
}

/** `Retry-After` in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function findBlocked(error: unknown): BlockedAddressError | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth += 1) {
    if (cause instanceof BlockedAddressError) return cause;
  }
  return undefined;
}

/** Why a try got no answer, in words a chat can show. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const blocked = findBlocked(error);
  if (blocked) return `refused: ${blocked.message}`;
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: string } | undefined)?.code ?? (error instanceof Error ? (error.cause as { code?: string } | undefined)?.code : undefined);
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `timed out after ${timeoutMs} ms`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  return error instanceof Error ? error.message : String(error);
}
