import { createFieldDescriber } from './create-field-describer.ts';
import { createTimestampedVerifier, STRIPE_STYLE } from './create-timestamped-verifier.ts';
import type { Provider } from './provider.ts';

/** `Calendly-Webhook-Signature: t=…,v1=…`, signed like Stripe with the subscription's signing key. */
export const calendly: Provider = {
  id: 'calendly',
  name: 'Calendly',
  headers: ['calendly-webhook-signature'],
  signatureHeaders: ['calendly-webhook-signature'],
  describe: createFieldDescriber({
    event: ['event'],
    facts: ['{payload.scheduled_event.name}', '{payload.name}', '{payload.email}', '{payload.status}'],
  }),
  verify: createTimestampedVerifier({ header: 'Calendly-Webhook-Signature', ...STRIPE_STYLE }),
};
