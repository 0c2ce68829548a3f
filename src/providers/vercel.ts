import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import type { Provider } from './provider.ts';

/** `x-vercel-signature`: hex HMAC-SHA1 of the body with the integration or webhook secret. */
export const vercel: Provider = {
  id: 'vercel',
  name: 'Vercel',
  headers: ['x-vercel-signature'],
  signatureHeaders: ['x-vercel-signature'],
  describe: createFieldDescriber({
    event: ['type'],
    eventId: ['id'],
    facts: ['{payload.name|payload.project.name|payload.deployment.name}', '{payload.target}', '{payload.url|payload.deployment.url}'],
  }),
  verify: createHmacVerifier({ header: 'X-Vercel-Signature', algorithm: 'sha1', encoding: 'hex' }),
};
