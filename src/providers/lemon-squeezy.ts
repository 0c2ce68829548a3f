import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import type { Provider } from './provider.ts';

/** Lemon Squeezy: `X-Event-Name`, and `X-Signature` as hex HMAC-SHA256 of the body with the signing secret. */
export const lemonSqueezy: Provider = {
  id: 'lemon-squeezy',
  name: 'Lemon Squeezy',
  headers: ['x-event-name'],
  signatureHeaders: ['x-signature'],
  describe: createFieldDescriber({
    eventHeader: 'x-event-name',
    event: ['meta.event_name'],
    facts: ['{data.attributes.product_name|data.attributes.first_order_item.product_name}', '{data.attributes.total_formatted}', '{data.attributes.user_email}', '{data.attributes.status}'],
  }),
  verify: createHmacVerifier({ header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' }),
};
