import { verify } from 'node:crypto';
import { batchSummary } from './batch-summary.ts';
import { stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';
import { invalid, missingHeader, VALID, WRONG_SIGNATURE } from './verdicts.ts';

const SIGNATURE = 'X-Twilio-Email-Event-Webhook-Signature';
const TIMESTAMP = 'X-Twilio-Email-Event-Webhook-Timestamp';

/**
 * SendGrid's Event Webhook posts a JSON array of events. A signed one carries a base64 ECDSA (P-256,
 * SHA-256) signature of `timestamp + body`; the "secret" to set is the verification key SendGrid
 * shows (base64 of the public key).
 */
export const sendgrid: Provider = {
  id: 'sendgrid',
  name: 'SendGrid',
  headers: ['x-twilio-email-event-webhook-signature'],
  signatureHeaders: ['x-twilio-email-event-webhook-signature'],
  sniff: ({ items }) => stringAt(items?.[0], 'sg_event_id') !== undefined,
  describe({ items }) {
    if (!items) return {};
    const first = items[0];
    const event = items.length === 1 ? stringAt(first, 'event') : 'batch';
    return { event, eventId: items.length === 1 ? stringAt(first, 'sg_event_id') : undefined, summary: batchSummary(items, 'event') };
  },
  verify(request, secret) {
    const signature = request.header(SIGNATURE);
    const timestamp = request.header(TIMESTAMP);
    if (signature === undefined) return missingHeader(SIGNATURE);
    if (timestamp === undefined) return missingHeader(TIMESTAMP);
    try {
      const key = Buffer.from(secret, 'base64');
      const valid = verify('sha256', Buffer.concat([Buffer.from(timestamp), request.body]), { key, format: 'der', type: 'spki' }, Buffer.from(signature, 'base64'));
      return valid ? VALID : WRONG_SIGNATURE;
    } catch {
      return invalid('the secret is not a SendGrid verification key (base64 public key)');
    }
  },
};
