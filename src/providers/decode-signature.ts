const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Hex of exactly `bytes` bytes, else undefined (a truncated or garbled header). */
export function fromHex(text: string, bytes: number): Buffer | undefined {
  return text.length === bytes * 2 && HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Base64 of exactly `bytes` bytes, else undefined; Buffer.from alone would skip bad characters. */
export function fromBase64(text: string, bytes: number): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === bytes ? decoded : undefined;
}

/** Every value decoded, or undefined when any one is malformed. */
export function allDecoded(values: string[], decode: (text: string) => Buffer | undefined): Buffer[] | undefined {
  const decoded: Buffer[] = [];
  for (const value of values) {
    const bytes = decode(value);
    if (bytes === undefined) return undefined;
    decoded.push(bytes);
  }
  return decoded;
}
