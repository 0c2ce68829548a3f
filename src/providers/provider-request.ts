import { parseArray, parseObject } from './parse-object.ts';
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
  const opening = isForm ? undefined : firstJsonByte(input.body);
  const text = isForm || opening !== undefined ? decodeUtf8(input.body) : undefined;
  return {
    ...input,
    header: (name) => headers.get(name.toLowerCase()),
    json: text === undefined || opening !== OBJECT ? undefined : parseObject(text),
    items: text === undefined || opening !== ARRAY ? undefined : parseArray(text),
    form: text !== undefined && isForm ? new URLSearchParams(text) : undefined,
  };
}

const OBJECT = 0x7b; // '{'
const ARRAY = 0x5b; // '['

/** `{` or `[` when the body starts like JSON we read, after whitespace and a BOM. */
function firstJsonByte(body: Buffer): number | undefined {
  for (const byte of body) {
    if (byte === OBJECT || byte === ARRAY) return byte;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return undefined;
  }
  return undefined;
}

function decodeUtf8(body: Buffer): string | undefined {
  try {
    return strictUtf8.decode(body);
  } catch {
    return undefined;
  }
}
