import { createPublicKey, verify } from 'node:crypto';
import { fromHex } from './decode-signature.ts';
import type { Verification } from './provider.ts';
import { invalid } from './verdicts.ts';

const BAD_KEY = invalid('malformed public key (expected the 64-hex application public key)');

/** Ed25519 over the concatenated parts with a raw 32-byte public key in hex; a bad key is a verdict, not a throw. */
export function ed25519Verify(publicKeyHex: string, signature: Buffer, ...parts: Buffer[]): boolean | Verification {
  const raw = fromHex(publicKeyHex, 32);
  if (!raw) return BAD_KEY;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    return verify(null, Buffer.concat(parts), key, signature);
  } catch {
    return BAD_KEY;
  }
}
