import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import { stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';

/** Intercom notifications carry no header of their own; `X-Hub-Signature: sha1=<hex>` of the body with the app's client secret. */
export const intercom: Provider = {
  id: 'intercom',
  name: 'Intercom',
  headers: [],
  signatureHeaders: ['x-hub-signature'],
  sniff: ({ json }) => json?.type === 'notification_event' && stringAt(json, 'topic') !== undefined,
  describe: createFieldDescriber({
    event: ['topic'],
    eventId: ['id'],
    facts: ['{data.item.type}', '{data.item.name|data.item.email|data.item.title|data.item.source.subject}', '{data.item.state}'],
  }),
  verify: createHmacVerifier({ header: 'X-Hub-Signature', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' }),
};
