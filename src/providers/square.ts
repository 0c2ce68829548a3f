import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import type { Provider } from './provider.ts';

/** `x-square-hmacsha256-signature`: base64 HMAC-SHA256 of the notification URL followed by the body. */
export const square: Provider = {
  id: 'square',
  name: 'Square',
  headers: ['x-square-hmacsha256-signature', 'square-environment'],
  signatureHeaders: ['x-square-hmacsha256-signature'],
  describe: createFieldDescriber({
    event: ['type'],
    eventId: ['event_id'],
    facts: ['{data.type} {data.id}', '{data.object.payment.status|data.object.order_updated.state|data.object.invoice.status|data.object.refund.status}'],
  }),
  verify: createHmacVerifier({
    header: 'X-Square-HmacSha256-Signature',
    algorithm: 'sha256',
    encoding: 'base64',
    signed: (request) => [request.url, request.body],
  }),
};
