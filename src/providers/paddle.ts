import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { allDecoded, fromHex } from './decode-signature.ts';
import { formatMoney } from './format-money.ts';
import { hmac } from './hmac.ts';
import { stringAt } from './json-fields.ts';
import { keyValueHeader, valuesOf } from './key-value-header.ts';
import { joinParts } from './one-line.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, WRONG_SIGNATURE } from './verdicts.ts';

const HEADER = 'Paddle-Signature';

/**
 * Paddle Billing: `Paddle-Signature: ts=…;h1=<hex>` of `${ts}:${body}`, several h1 during a rotation.
 * Paddle suggests a 5 s window; we allow the common 300 s so a skewed clock does not flag every delivery.
 */
export const paddle: Provider = {
  id: 'paddle',
  name: 'Paddle',
  headers: ['paddle-signature'],
  signatureHeaders: [HEADER.toLowerCase()],
  sniff: ({ json }) => ['notification_id', 'event_id', 'event_type'].every((field) => stringAt(json, field) !== undefined),
  describe: ({ json }) => ({ event: stringAt(json, 'event_type'), eventId: stringAt(json, 'event_id'), summary: paddleSummary(json?.data) }),
  verify(request, secret, nowMs) {
    const header = request.header(HEADER);
    if (header === undefined) return missingHeader(HEADER);
    const pairs = keyValueHeader(header, ';');
    const timestamp = pairs && valuesOf(pairs, 'ts')[0];
    if (!pairs || timestamp === undefined || !UNIX_SECONDS.test(timestamp)) return malformedHeader(HEADER);
    const values = valuesOf(pairs, 'h1');
    if (values.length === 0) return pairs.some(([key]) => /^h\d+$/.test(key)) ? UNSUPPORTED_VERSION : malformedHeader(HEADER);
    const signatures = allDecoded(values, (value) => fromHex(value, 32));
    if (!signatures) return malformedHeader(HEADER);
    const expected = hmac('sha256', secret, `${timestamp}:`, request.body);
    return signatures.some((signature) => safeEqual(expected, signature)) ? checkTimestamp(Number(timestamp), nowMs) : WRONG_SIGNATURE;
  },
};

/** `txn_01h… · completed · $12.34`: Paddle totals are strings in minor units. */
function paddleSummary(data: unknown): string | undefined {
  const total = stringAt(data, 'details.totals.grand_total') ?? stringAt(data, 'details.totals.total');
  const currency = stringAt(data, 'currency_code');
  const money = total !== undefined && currency !== undefined && /^-?\d+$/.test(total) ? formatMoney(Number(total), currency) : undefined;
  return joinParts(stringAt(data, 'id'), stringAt(data, 'status'), money ?? stringAt(data, 'email'));
}
