import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import type { Provider } from './provider.ts';

/** Bitbucket Cloud: `X-Event-Key` names the event; with a secret, `X-Hub-Signature: sha256=<hex>` of the body. */
export const bitbucket: Provider = {
  id: 'bitbucket',
  name: 'Bitbucket',
  headers: ['x-event-key', 'x-hook-uuid'],
  signatureHeaders: ['x-hub-signature'],
  describe: createFieldDescriber({
    eventHeader: 'x-event-key',
    eventIdHeader: 'x-request-uuid',
    facts: ['{repository.full_name}', '#{pullrequest.id} {pullrequest.title}', '{pullrequest.state}', 'push to {push.changes.0.new.name}', 'by {actor.display_name|actor.nickname}'],
  }),
  verify: createHmacVerifier({ header: 'X-Hub-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }),
};
