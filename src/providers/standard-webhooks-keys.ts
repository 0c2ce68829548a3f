import type { Verification } from './provider.ts';
import { EMPTY_SECRET, invalid } from './verdicts.ts';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC keys of a configured secret. Several secrets may be listed, separated by spaces or commas,
 * so a rotation can overlap: old and new both verify until the old one is removed.
 */
export function standardWebhooksKeys(secret: string): Buffer[] | Verification {
  const keys: Buffer[] = [];
  for (const entry of secret.split(/[\s,]+/).filter(Boolean)) {
    const encoded = entry.startsWith('whsec_') ? entry.slice('whsec_'.length) : entry;
    if (encoded === '') return EMPTY_SECRET;
    if (!BASE64.test(encoded)) return invalid('malformed secret (expected whsec_ followed by base64)');
    keys.push(Buffer.from(encoded, 'base64'));
  }
  return keys.length > 0 ? keys : EMPTY_SECRET;
}
