import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import { numberAt, recordAt, stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';

/** `x-zm-signature: v0=<hex>`: HMAC-SHA256 of `v0:${x-zm-request-timestamp}:${body}` with the app's secret token. */
export const zoom: Provider = {
  id: 'zoom',
  name: 'Zoom',
  headers: ['x-zm-signature', 'x-zm-request-timestamp', 'x-zm-trackingid'],
  signatureHeaders: ['x-zm-signature'],
  sniff: ({ json }) => stringAt(json, 'event') !== undefined && numberAt(json, 'event_ts') !== undefined && recordAt(json, 'payload') !== undefined,
  describe: createFieldDescriber({
    event: ['event'],
    facts: ['{payload.object.topic}', '{payload.object.participant.user_name}', 'host {payload.object.host_email|payload.operator}'],
  }),
  verify: createHmacVerifier({
    header: 'X-Zm-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: 'v0=',
    timestampHeader: 'X-Zm-Request-Timestamp',
    signed: (request, timestamp) => [`v0:${timestamp}:`, request.body],
  }),
};
