import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import type { Provider } from './provider.ts';

/** Sentry integration webhooks: `Sentry-Hook-Signature` is hex HMAC-SHA256 of the body with the client secret. */
export const sentry: Provider = {
  id: 'sentry',
  name: 'Sentry',
  headers: ['sentry-hook-resource', 'sentry-hook-signature'],
  signatureHeaders: ['sentry-hook-signature'],
  describe: createFieldDescriber({
    eventHeader: 'sentry-hook-resource',
    eventIdHeader: 'request-id',
    facts: ['{action}', '{data.issue.title|data.error.title|data.event.title|data.metric_alert.title|data.description_title}', '{data.issue.level|data.error.level|data.event.level}', '{data.issue.project.slug}'],
  }),
  verify: createHmacVerifier({ header: 'Sentry-Hook-Signature', algorithm: 'sha256', encoding: 'hex' }),
};
