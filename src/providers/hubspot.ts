import { batchSummary } from './batch-summary.ts';
import { checkTimestamp } from './check-timestamp.ts';
import { fromBase64 } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { numberAt, stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, WRONG_SIGNATURE } from './verdicts.ts';

const SIGNATURE = 'X-HubSpot-Signature-v3';
const TIMESTAMP = 'X-HubSpot-Request-Timestamp';

/**
 * HubSpot posts a JSON array of events. v3 signs base64 HMAC-SHA256 of `method + URL + body +
 * timestamp` (milliseconds) with the app's client secret; older v1/v2 signatures are not checked.
 */
export const hubspot: Provider = {
  id: 'hubspot',
  name: 'HubSpot',
  headers: ['x-hubspot-signature-v3', 'x-hubspot-signature'],
  signatureHeaders: ['x-hubspot-signature-v3', 'x-hubspot-signature'],
  sniff: ({ items }) => stringAt(items?.[0], 'subscriptionType') !== undefined && numberAt(items?.[0], 'portalId') !== undefined,
  describe({ items }) {
    if (!items) return {};
    const first = items[0];
    const single = items.length === 1;
    return { event: single ? stringAt(first, 'subscriptionType') : 'batch', summary: batchSummary(items, 'subscriptionType') };
  },
  verify(request, secret, nowMs) {
    const header = request.header(SIGNATURE);
    if (header === undefined) return request.header('x-hubspot-signature') === undefined ? missingHeader(SIGNATURE) : UNSUPPORTED_VERSION;
    const timestamp = request.header(TIMESTAMP);
    if (timestamp === undefined) return missingHeader(TIMESTAMP);
    if (!/^\d{1,15}$/.test(timestamp)) return malformedHeader(TIMESTAMP);
    const signature = fromBase64(header.trim(), 32);
    if (!signature) return malformedHeader(SIGNATURE);
    const expected = hmac('sha256', secret, request.method ?? 'POST', request.url, request.body, timestamp);
    return safeEqual(expected, signature) ? checkTimestamp(Number(timestamp) / 1000, nowMs) : WRONG_SIGNATURE;
  },
};
