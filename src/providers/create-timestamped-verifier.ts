import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { allDecoded, fromHex } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { keyValueHeader, valuesOf } from './key-value-header.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, WRONG_SIGNATURE } from './verdicts.ts';

/** A header of key=value pairs with a timestamp and one or more hex signatures. */
export interface TimestampedScheme {
  header: string;
  separator: ',' | ';';
  timestampKey: string;
  /** e.g. `v1`; another number after the same letter is a version we do not know. */
  signatureKey: string;
  /** Between the timestamp and the body in what is signed. */
  joiner: '.' | ':';
}

/** Stripe's `t=…,v1=…` (copied by Calendly); several signatures while a secret is rolled. */
export const STRIPE_STYLE = { separator: ',', timestampKey: 't', signatureKey: 'v1', joiner: '.' } as const;

/** `<header>: t=…,v1=…[,v1=…]`: hex HMAC-SHA256 of `${t}${joiner}${body}`, within the replay window. */
export function createTimestampedVerifier(scheme: TimestampedScheme): NonNullable<Provider['verify']> {
  const { header, separator, timestampKey, signatureKey, joiner } = scheme;
  const anyVersion = new RegExp(`^${signatureKey[0]}\\d+$`);
  return function verifyTimestamped(request, secret, nowMs) {
    const value = request.header(header);
    if (value === undefined) return missingHeader(header);
    const pairs = keyValueHeader(value, separator);
    const timestamp = pairs && valuesOf(pairs, timestampKey)[0];
    if (!pairs || timestamp === undefined || !UNIX_SECONDS.test(timestamp)) return malformedHeader(header);
    const values = valuesOf(pairs, signatureKey);
    // Stripe's v0 is its old test-mode scheme; any other version we do not know.
    if (values.length === 0) return pairs.some(([key]) => anyVersion.test(key)) ? UNSUPPORTED_VERSION : malformedHeader(header);
    const signatures = allDecoded(values, (text) => fromHex(text, 32));
    if (!signatures) return malformedHeader(header);
    const expected = hmac('sha256', secret, `${timestamp}${joiner}`, request.body);
    return signatures.some((signature) => safeEqual(expected, signature)) ? checkTimestamp(Number(timestamp), nowMs) : WRONG_SIGNATURE;
  };
}
