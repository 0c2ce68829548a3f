import { fromBase64 } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { numberAt, stringAt } from './json-fields.ts';
import type { JsonObject, Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, VALID, WRONG_SIGNATURE } from './verdicts.ts';

const HEADER = 'X-Shopify-Hmac-Sha256';

/** `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the body with the app's client secret; no timestamp. */
export const shopify: Provider = {
  id: 'shopify',
  name: 'Shopify',
  headers: ['x-shopify-topic', 'x-shopify-hmac-sha256', 'x-shopify-webhook-id'],
  signatureHeaders: [HEADER.toLowerCase()],
  describe(request) {
    const topic = request.header('x-shopify-topic');
    return { event: topic, eventId: request.header('x-shopify-webhook-id'), summary: shopifySummary(topic, request.json) };
  },
  verify(request, secret) {
    const header = request.header(HEADER);
    if (header === undefined) return missingHeader(HEADER);
    const signature = fromBase64(header.trim(), 32);
    if (!signature) return malformedHeader(HEADER);
    return safeEqual(hmac('sha256', secret, request.body), signature) ? VALID : WRONG_SIGNATURE;
  },
};

/** `order #1001 · 199.00 USD`, `product Blue shirt`, `customer jon@example.com`. */
function shopifySummary(topic: string | undefined, body: JsonObject | undefined): string | undefined {
  const family = topic?.split('/')[0];
  if (family === 'orders') {
    const number = numberAt(body, 'order_number');
    const name = stringAt(body, 'name') ?? (number === undefined ? undefined : `#${number}`);
    const total = stringAt(body, 'total_price');
    const money = total === undefined ? undefined : `${total} ${stringAt(body, 'currency') ?? ''}`.trim();
    return [`order ${name ?? '?'}`, money].filter(Boolean).join(' · ');
  }
  if (family === 'products') return prefixed('product', stringAt(body, 'title'));
  if (family === 'customers') return prefixed('customer', stringAt(body, 'email'));
  return undefined;
}

function prefixed(label: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${label} ${value}`;
}
