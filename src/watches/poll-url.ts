import { request, type Dispatcher } from 'undici';

export interface PollRequest {
  url: string;
  headers: Array<[string, string]>;
  etag?: string;
  lastModified?: string;
}

export type PollResult =
  | { kind: 'answer'; status: number; headers: Array<[string, string]>; body: Buffer; size: number; truncated: boolean; durationMs: number }
  | { kind: 'failed'; reason: string };

export interface PollOptions {
  agent: Dispatcher;
  maxBytes: number;
  timeoutMs: number;
}

/**
 * One `GET`, conditional when the last answer gave an ETag or Last-Modified, through the guarded agent
 * (redirects are answers, not followed). Reads at most `maxBytes` of the body and then stops reading,
 * so a huge answer costs no more than that; how big it really was comes from Content-Length when given.
 */
export async function pollUrl(poll: PollRequest, options: PollOptions): Promise<PollResult> {
  const started = performance.now();
  const headers = poll.headers.flat();
  if (poll.etag !== undefined) headers.push('If-None-Match', poll.etag);
  if (poll.lastModified !== undefined) headers.push('If-Modified-Since', poll.lastModified);
  try {
    const response = await request(poll.url, {
      method: 'GET',
      headers,
      dispatcher: options.agent,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const parts: Buffer[] = [];
    let read = 0;
    let truncated = false;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (read + chunk.length > options.maxBytes) {
        parts.push(chunk.subarray(0, options.maxBytes - read));
        read = options.maxBytes;
        truncated = true;
        response.body.destroy();
        break;
      }
      parts.push(chunk);
      read += chunk.length;
    }
    const pairs = Object.entries(response.headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((one): [string, string] => [name, one]) : value === undefined ? [] : [[name, value] as [string, string]]));
    const declared = Number(response.headers['content-length']);
    return { kind: 'answer', status: response.statusCode, headers: pairs, body: Buffer.concat(parts), size: truncated && declared > read ? declared : read, truncated, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { kind: 'failed', reason: describeFailure(error) };
  }
}

/** `connection refused`, `timed out after 10 s`, the guard's own words: what a chat can act on. */
function describeFailure(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (code === 'EBLOCKED' || cause?.code === 'EBLOCKED') return (cause?.code === 'EBLOCKED' ? cause.message : (error as Error).message) ?? 'address refused';
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timed out';
  const known: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', ECONNRESET: 'connection reset', EAI_AGAIN: 'DNS lookup failed', UND_ERR_SOCKET: 'connection closed' };
  const key = code ?? cause?.code;
  return (key !== undefined && known[key]) || (error instanceof Error ? error.message : String(error));
}
