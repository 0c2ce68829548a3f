import { parseObject } from './parse-object.ts';
import type { ProviderInput, ProviderRequest } from './provider.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const FORM_TYPE = /^application\/x-www-form-urlencoded/i;

/** Parses the headers and the body once; every provider then reads the same view. */
export function providerRequest(input: ProviderInput): ProviderRequest {
  const headers = new Map<string, string>();
  for (const [name, value] of input.headers) {
    const key = name.toLowerCase();
    if (!headers.has(key)) headers.set(key, value);
  }
  const isForm = FORM_TYPE.test(headers.get('content-type') ?? '');
  // Decode only what can be JSON or a form: binary bodies cost nothing.
  const text = isForm || startsLikeObject(input.body) ? decodeUtf8(input.body) : undefined;
  return {
    ...input,
    header: (name) => headers.get(name.toLowerCase()),
    json: text === undefined || isForm ? undefined : parseObject(text),
    form: text !== undefined && isForm ? new URLSearchParams(text) : undefined,
  };
}

function startsLikeObject(body: Buffer): boolean {
  for (const byte of body) {
    if (byte === 0x7b) return true; // '{'
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return false;
  }
  return false;
}

function decodeUtf8(body: Buffer): string | undefined {
  try {
    return strictUtf8.decode(body);
  } catch {
    return undefined;
  }
}
