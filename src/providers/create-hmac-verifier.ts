import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { fromBase64, fromHex } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import type { Provider, ProviderRequest, Verification } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, WRONG_SIGNATURE } from './verdicts.ts';

/** How a sender signs with an HMAC in one header; the many senders that differ only in these details share it. */
export interface HmacScheme {
  /** The signature header as the sender's docs spell it, e.g. `X-Zm-Signature`. */
  header: string;
  algorithm: 'sha1' | 'sha256';
  encoding: 'hex' | 'base64';
  /** What precedes the signature in the header, e.g. `sha256=` or `v0=`. */
  prefix?: string;
  /** A header with the signed timestamp (Unix seconds), checked against the replay window. */
  timestampHeader?: string;
  /** What is signed, in order, given the timestamp; the body alone when absent. */
  signed?(request: ProviderRequest, timestamp: string): Array<string | Buffer>;
}

const BYTES = { sha1: 20, sha256: 32 } as const;

export function createHmacVerifier(scheme: HmacScheme): NonNullable<Provider['verify']> {
  return function verifyHmac(request, secret, nowMs): Verification {
    const header = request.header(scheme.header)?.trim();
    if (header === undefined) return missingHeader(scheme.header);
    const prefix = scheme.prefix ?? '';
    if (!header.startsWith(prefix)) return malformedHeader(scheme.header);
    const value = header.slice(prefix.length);
    const signature = scheme.encoding === 'hex' ? fromHex(value, BYTES[scheme.algorithm]) : fromBase64(value, BYTES[scheme.algorithm]);
    if (!signature) return malformedHeader(scheme.header);
    const timestamp = scheme.timestampHeader === undefined ? '' : request.header(scheme.timestampHeader)?.trim();
    if (timestamp === undefined) return missingHeader(scheme.timestampHeader!);
    if (scheme.timestampHeader !== undefined && !UNIX_SECONDS.test(timestamp)) return malformedHeader(scheme.timestampHeader);
    const expected = hmac(scheme.algorithm, secret, ...(scheme.signed?.(request, timestamp) ?? [request.body]));
    if (!safeEqual(expected, signature)) return WRONG_SIGNATURE;
    return scheme.timestampHeader === undefined ? { status: 'valid' } : checkTimestamp(Number(timestamp), nowMs);
  };
}
