import { createFieldDescriber } from './create-field-describer.ts';
import type { Provider } from './provider.ts';
import { invalid } from './verdicts.ts';

/**
 * PayPal signs with a certificate fetched from `paypal-cert-url` (or asks to be called back via its
 * verify API), so a signature cannot be checked offline: with a secret set, the verdict says so.
 */
export const paypal: Provider = {
  id: 'paypal',
  name: 'PayPal',
  headers: ['paypal-transmission-id', 'paypal-transmission-sig'],
  describe: createFieldDescriber({
    event: ['event_type'],
    eventId: ['id'],
    facts: ['{summary}', '{resource.amount.value|resource.amount.total} {resource.amount.currency_code|resource.amount.currency}', '{resource.status|resource.state}'],
  }),
  verify: () => invalid('not verifiable offline (PayPal checks it by API call)'),
};
