import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import { recordAt } from './json-fields.ts';
import type { Provider } from './provider.ts';

/** `Typeform-Signature: sha256=<base64>`: HMAC-SHA256 of the body with the webhook's secret. */
export const typeform: Provider = {
  id: 'typeform',
  name: 'Typeform',
  headers: ['typeform-signature'],
  signatureHeaders: ['typeform-signature'],
  sniff: ({ json }) => json?.event_type === 'form_response' && recordAt(json, 'form_response') !== undefined,
  describe: createFieldDescriber({
    event: ['event_type'],
    eventId: ['event_id'],
    facts: ['{form_response.definition.title|form_response.form_id}', 'submitted {form_response.submitted_at}'],
  }),
  verify: createHmacVerifier({ header: 'Typeform-Signature', algorithm: 'sha256', encoding: 'base64', prefix: 'sha256=' }),
};
