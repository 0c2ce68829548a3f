/** Reads a Bot API request like the Bot API server: query string plus a JSON, urlencoded or multipart body. */
import type { IncomingMessage } from 'node:http';
import { multipartBoundary, parseMultipart, type MultipartFile } from './multipart.ts';
import { badRequest, TelegramApiError, type Payload } from './telegram-types.ts';

const MAX_BODY = 52 * 1024 * 1024; // Telegram's 50 MB upload limit plus multipart overhead
const INT_FIELDS = new Set(['chat_id', 'message_id', 'offset', 'limit', 'timeout', 'cache_time', 'max_connections']);
const BOOL_FIELDS = new Set(['show_alert', 'drop_pending_updates', 'disable_notification', 'protect_content']);
const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'commands', 'scope', 'allowed_updates', 'link_preview_options',
  'reply_parameters',
]);

/** Form and multipart values are strings on the wire; type them the way the Bot API reads each field. */
function coerce(fields: Record<string, string>): Payload {
  const payload: Payload = {};
  for (const [key, value] of Object.entries(fields)) {
    payload[key] = value;
    if (INT_FIELDS.has(key) && /^-?\d+$/.test(value)) payload[key] = Number(value);
    if (BOOL_FIELDS.has(key) && (value === 'true' || value === 'false')) payload[key] = value === 'true';
    if (JSON_FIELDS.has(key)) {
      try {
        payload[key] = JSON.parse(value) as unknown;
      } catch {
        // left as the string; the method's validation reports it
      }
    }
  }
  return payload;
}

/** The request's parameters and uploaded files; throws TelegramApiError (413, 400) for bodies Telegram refuses. */
export async function readPayload(
  req: IncomingMessage,
  url: URL,
): Promise<{ payload: Payload; files: Record<string, MultipartFile> }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new TelegramApiError(413, 'Request Entity Too Large');
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  const query = coerce(Object.fromEntries(url.searchParams));

  if (/^application\/json/i.test(contentType) && body.length > 0) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('invalid request body (fake: the JSON did not parse)');
    }
    const fields = typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {};
    return { payload: { ...query, ...fields }, files: {} };
  }
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    const form = coerce(Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    return { payload: { ...query, ...form }, files: {} };
  }
  if (/^multipart\/form-data/i.test(contentType)) {
    const parsed = parseMultipart(body, multipartBoundary(contentType) ?? '');
    return { payload: { ...query, ...coerce(parsed.fields) }, files: parsed.files };
  }
  return { payload: query, files: {} };
}
