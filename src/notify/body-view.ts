import { deliveryBody, headerValue, type Delivery } from '../domain/delivery.ts';

export type BodyView =
  | { kind: 'empty' }
  | { kind: 'json'; text: string; value: unknown }
  | { kind: 'invalid-json'; text: string }
  | { kind: 'form'; text: string; fields: Array<[string, string]> }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; size: number };

const BINARY_TYPES = /^(application\/(octet-stream|pdf|zip|gzip|x-protobuf|protobuf)|image\/|audio\/|video\/|font\/)/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Views already decided, by delivery: a just-received delivery's find entry and its notification look at the
 * same object, which would otherwise decode and parse its body twice. A view is only read, never changed.
 */
const decided = new WeakMap<Delivery, BodyView>();

/** What a body is, for showing it: decided once from content type and bytes. */
export function viewBody(delivery: Delivery): BodyView {
  let view = decided.get(delivery);
  if (view === undefined) {
    view = decide(delivery);
    decided.set(delivery, view);
  }
  return view;
}

function decide(delivery: Delivery): BodyView {
  const bytes = deliveryBody(delivery);
  if (bytes.length === 0) return { kind: 'empty' };
  const contentType = headerValue(delivery, 'content-type') ?? '';
  const text = BINARY_TYPES.test(contentType) ? undefined : decodeText(bytes);
  if (text === undefined) return { kind: 'binary', size: bytes.length };
  if (/json/i.test(contentType) || /^\s*[[{]/.test(text)) {
    try {
      return { kind: 'json', text, value: JSON.parse(text) };
    } catch {
      if (/json/i.test(contentType)) return { kind: 'invalid-json', text };
    }
  }
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    return { kind: 'form', text, fields: [...new URLSearchParams(text)] };
  }
  return { kind: 'text', text };
}

/** UTF-8 text without control characters other than tab and newlines, else undefined. */
function decodeText(bytes: Buffer): string | undefined {
  try {
    const text = strictUtf8.decode(bytes);
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}
