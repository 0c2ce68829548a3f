import { createHmac } from 'node:crypto';

/** HMAC over parts fed in order: bytes stay bytes, so non-UTF-8 bodies are signed as sent. */
export function hmac(algorithm: 'sha1' | 'sha256', key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}
