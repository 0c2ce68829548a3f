import { createTimestampedVerifier, STRIPE_STYLE } from './create-timestamped-verifier.ts';
import { recordAt, stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';
import { stripeSummary } from './stripe-summary.ts';

/** `Stripe-Signature: t=…,v1=…[,v1=…]`: HMAC-SHA256 of `${t}.${body}`, within 5 minutes. */
export const stripe: Provider = {
  id: 'stripe',
  name: 'Stripe',
  headers: ['stripe-signature'],
  signatureHeaders: ['stripe-signature'],
  sniff: ({ json }) => json?.object === 'event' && stringAt(json, 'id')?.startsWith('evt_') === true,
  describe({ json }) {
    return { event: stringAt(json, 'type'), eventId: stringAt(json, 'id'), summary: stripeSummary(recordAt(json, 'data')) };
  },
  verify: createTimestampedVerifier({ header: 'Stripe-Signature', ...STRIPE_STYLE }),
};
