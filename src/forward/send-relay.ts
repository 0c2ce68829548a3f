import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
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
 * Dispatched with a handler of its own rather than undici's `request`: the answer's few bytes are taken as
 * they come, with no response stream, async iterator or AbortSignal made for each relay (README, Forwarding bench).
 */
export function sendRelay(relay: RelayRequest, options: { agent: Dispatcher; timeoutMs: number; now: () => number; keepBodyBytes?: number }): Promise<RelayAnswer> {
  const started = options.now();
  const elapsed = () => Math.max(0, Math.round(options.now() - started));
  const limit = options.keepBodyBytes ?? ANSWER_EXCERPT_BYTES;
  return new Promise((resolve) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const parts: Buffer[] = [];
    let length = 0;

    function finish(answer: RelayAnswer): void {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(answer);
    }
    function answered(cut: boolean): void {
      if (cut && options.keepBodyBytes !== undefined) return finish({ kind: 'failed', error: `answer larger than ${options.keepBodyBytes} bytes`, blocked: false, durationMs: elapsed() });
      const bytes = Buffer.concat(parts, length);
      const retryAfterMs = parseRetryAfter(headers['retry-after'], Date.now());
      finish({
        kind: 'answered',
        status,
        headers: Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((one): [string, string] => [name, one])),
        excerpt: bytes.subarray(0, ANSWER_EXCERPT_BYTES).toString('utf8'),
        durationMs: elapsed(),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...(options.keepBodyBytes === undefined ? {} : { body: bytes }),
      });
    }
    const failed = (error: unknown) => finish({ kind: 'failed', error: describeFailure(error, options.timeoutMs), blocked: findBlocked(error) !== undefined, durationMs: elapsed() });
    // The whole try's limit: undici's own timeouts count from the request's write, and between body chunks.
    const deadline = setTimeout(() => {
      failed(new DeadlineError());
      controller?.abort(new DeadlineError());
    }, options.timeoutMs);

    let target: URL;
    try {
      target = new URL(relay.url);
    } catch (error) {
      return failed(error);
    }
    options.agent.dispatch(
      { origin: target.origin, path: target.pathname + target.search, method: relay.method as Dispatcher.HttpMethod, headers: relay.headers, body: relay.body ?? null, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
      {
        onRequestStart(writing) {
          controller = writing;
          // Timed out while it waited for a connection: it is not sent.
          if (settled) writing.abort(new DeadlineError());
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          // 1xx answers are interim: the final one follows.
          if (statusCode < 200) return;
          status = statusCode;
          headers = responseHeaders;
        },
        onResponseData(reading, chunk) {
          if (length + chunk.length <= limit) {
            parts.push(chunk);
            length += chunk.length;
            return;
          }
          parts.push(chunk.subarray(0, limit - length));
          length = limit;
          answered(true);
          // The rest is read no further: the connection is closed rather than drained.
          reading.abort(new Error('answer read no further'));
        },
        onResponseEnd: () => answered(false),
        onResponseError: (_controller, error) => failed(error),
      },
    );
  });
}

/** The try's own deadline passed. */
class DeadlineError extends Error {
  override name = 'TimeoutError';
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
