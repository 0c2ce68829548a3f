import { createFieldDescriber } from './create-field-describer.ts';
import { createHmacVerifier } from './create-hmac-verifier.ts';
import { numberAt, stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';

/** Jira Cloud webhooks; one registered with a secret sends `X-Hub-Signature: sha256=<hex>` of the body. */
export const jira: Provider = {
  id: 'jira',
  name: 'Jira',
  headers: ['x-atlassian-webhook-identifier'],
  signatureHeaders: ['x-hub-signature'],
  sniff: ({ json }) => stringAt(json, 'webhookEvent') !== undefined && numberAt(json, 'timestamp') !== undefined,
  describe: createFieldDescriber({
    event: ['webhookEvent'],
    eventIdHeader: 'x-atlassian-webhook-identifier',
    facts: ['{issue.key} {issue.fields.summary}', '{issue_event_type_name}', '{issue.fields.status.name}', 'by {user.displayName}'],
  }),
  verify: createHmacVerifier({ header: 'X-Hub-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }),
};
