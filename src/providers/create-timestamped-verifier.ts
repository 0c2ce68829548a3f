import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { allDecoded, fromHex } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { keyValueHeader, valuesOf } from './key-value-header.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, WRONG_SIGNATURE } from './verdicts.ts';

/**
 * `<header>: t=…,v1=…[,v1=…]`: hex HMAC-SHA256 of `${t}.${body}`, as Stripe signs and Calendly copied;
 * several v1 while a secret is rolled.
 */
export function createTimestampedVerifier(header: string): NonNullable<Provider['verify']> {
  return function verifyTimestamped(request, secret, nowMs) {
    const value = request.header(header);
    if (value === undefined) return missingHeader(header);
    const pairs = keyValueHeader(value, ',');
    const timestamp = pairs && valuesOf(pairs, 't')[0];
    if (!pairs || timestamp === undefined || !UNIX_SECONDS.test(timestamp)) return malformedHeader(header);
    const values = valuesOf(pairs, 'v1');
    // v0 is Stripe's old test-mode scheme; any other vN we do not know.
    if (values.length === 0) return pairs.some(([key]) => /^v\d+$/.test(key)) ? UNSUPPORTED_VERSION : malformedHeader(header);
    const signatures = allDecoded(values, (text) => fromHex(text, 32));
    if (!signatures) return malformedHeader(header);
    const expected = hmac('sha256', secret, `${timestamp}.`, request.body);
    return signatures.some((signature) => safeEqual(expected, signature)) ? checkTimestamp(Number(timestamp), nowMs) : WRONG_SIGNATURE;
  };
}
