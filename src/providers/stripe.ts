import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { allDecoded, fromHex } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { recordAt, stringAt } from './json-fields.ts';
import { keyValueHeader, valuesOf } from './key-value-header.ts';
import { stripeSummary } from './stripe-summary.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, WRONG_SIGNATURE } from './verdicts.ts';

const HEADER = 'Stripe-Signature';

/** `Stripe-Signature: t=…,v1=…[,v1=…]`: HMAC-SHA256 of `${t}.${body}`; several v1 while a secret is rolled. */
export const stripe: Provider = {
  id: 'stripe',
  name: 'Stripe',
  headers: ['stripe-signature'],
  sniff: ({ json }) => json?.object === 'event' && stringAt(json, 'id')?.startsWith('evt_') === true,
  describe({ json }) {
    return { event: stringAt(json, 'type'), eventId: stringAt(json, 'id'), summary: stripeSummary(recordAt(json, 'data')) };
  },
  verify(request, secret, nowMs) {
    const header = request.header(HEADER);
    if (header === undefined) return missingHeader(HEADER);
    const pairs = keyValueHeader(header, ',');
    const timestamp = pairs && valuesOf(pairs, 't')[0];
    if (!pairs || timestamp === undefined || !UNIX_SECONDS.test(timestamp)) return malformedHeader(HEADER);
    const values = valuesOf(pairs, 'v1');
    // v0 is Stripe's old test-mode scheme; any other vN we do not know.
    if (values.length === 0) return pairs.some(([key]) => /^v\d+$/.test(key)) ? UNSUPPORTED_VERSION : malformedHeader(HEADER);
    const signatures = allDecoded(values, (value) => fromHex(value, 32));
    if (!signatures) return malformedHeader(HEADER);
    const expected = hmac('sha256', secret, `${timestamp}.`, request.body);
    return signatures.some((signature) => safeEqual(expected, signature)) ? checkTimestamp(Number(timestamp), nowMs) : WRONG_SIGNATURE;
  },
};
