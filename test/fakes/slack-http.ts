/** HTTP plumbing of the Slack fake: reading Web API arguments and tokens. */
import type { IncomingMessage } from 'node:http';
import { multipartBoundary, parseMultipart } from './multipart.ts';
import { isRecord, type Params } from './slack-types.ts';

const MAX_BODY = 1024 * 1024 * 1024; // Slack's 1 GB file limit; the fake holds uploads in memory anyway

/** Arguments that @slack/web-api sends as JSON strings inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'unfurls', 'user_auth_blocks']);
/** Flags that arrive as "true"/"false" (web-api) or "1"/"0" (curl habits). */
const BOOL_FIELDS = new Set([
  'unfurl_links', 'unfurl_media', 'link_names', 'mrkdwn', 'reply_broadcast', 'as_user',
]);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses JSON fields and flags; a JSON field that does not parse stays a string (the method reports it). */
function coerce(fields: Params): Params {
  const params: Params = { ...fields };
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') continue;
    if (JSON_FIELDS.has(key)) {
      try {
        params[key] = JSON.parse(value) as unknown;
      } catch {
        // left as the string
      }
    }
    if (BOOL_FIELDS.has(key) && /^(true|false|1|0)$/.test(value)) params[key] = value === 'true' || value === '1';
  }
  return params;
}

/**
 * A Web API call's arguments from the query string and an urlencoded, multipart or JSON body (a JSON
 * body that does not parse is `invalid_json`, answered by the caller).
 */
export function parseParams(url: URL, contentType: string, body: Buffer): Params | 'invalid_json' {
  const query: Params = Object.fromEntries(url.searchParams);
  if (/^application\/json/i.test(contentType) && body.length > 0) {
    try {
      const json: unknown = JSON.parse(body.toString('utf8'));
      return coerce({ ...query, ...(isRecord(json) ? json : {}) });
    } catch {
      return 'invalid_json';
    }
  }
  if (/^application\/x-www-form-urlencoded/i.test(contentType) || contentType === '') {
    return coerce({ ...query, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) });
  }
  if (/^multipart\/form-data/i.test(contentType)) {
    return coerce({ ...query, ...parseMultipart(body, multipartBoundary(contentType) ?? '').fields });
  }
  return coerce(query);
}

/** The token of a call: `Authorization: Bearer …` first, else a `token` argument (form bodies only, like Slack). */
export function tokenOf(req: IncomingMessage, params: Params): string | undefined {
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (auth) return auth[1];
  return typeof params.token === 'string' && params.token !== '' ? params.token : undefined;
}
