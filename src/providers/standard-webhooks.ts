import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { allDecoded, fromBase64 } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { recordAt, stringAt } from './json-fields.ts';
import { fillTemplate } from './fill-template.ts';
import { joinParts } from './one-line.ts';
import { paymentSummary } from './payment-summary.ts';
import type { Provider, ProviderRequest } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { standardWebhooksKeys } from './standard-webhooks-keys.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, WRONG_SIGNATURE } from './verdicts.ts';

/** Clerk (users, sessions) and Resend (emails) send Standard Webhooks: who it is about, and a mail's subject. */
const PEOPLE_AND_MAIL = ['{data.email_addresses.0.email_address|data.to.0|data.email}', '{data.first_name} {data.last_name}', '{data.subject}'];

/**
 * Standard Webhooks (and Svix, its origin, with `svix-` headers): `webhook-signature: v1,<base64> …` is
 * HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with the base64 part of `whsec_…`.
 */
export const standardWebhooks: Provider = {
  id: 'standard-webhooks',
  name: 'Standard Webhooks',
  headers: ['webhook-id', 'webhook-signature', 'svix-id', 'svix-signature'],
  signatureHeaders: ['webhook-signature', 'svix-signature'],
  describe(request) {
    return {
      event: stringAt(request.json, 'type'),
      eventId: signedHeader(request, 'id'),
      summary: paymentSummary(recordAt(request.json, 'data')) ?? joinParts(...PEOPLE_AND_MAIL.map((fact) => fillTemplate(fact, request.json))),
    };
  },
  verify(request, secret, nowMs) {
    const prefix = request.header('webhook-id') === undefined && request.header('svix-id') !== undefined ? 'Svix' : 'Webhook';
    const [id, timestamp, header] = (['id', 'timestamp', 'signature'] as const).map((part) => signedHeader(request, part));
    if (id === undefined) return missingHeader(`${prefix}-Id`);
    if (timestamp === undefined) return missingHeader(`${prefix}-Timestamp`);
    if (header === undefined) return missingHeader(`${prefix}-Signature`);
    if (!UNIX_SECONDS.test(timestamp)) return malformedHeader(`${prefix}-Timestamp`);
    const entries = header.split(' ').filter(Boolean).map((entry) => entry.split(','));
    if (entries.length === 0 || entries.some((entry) => entry.length !== 2)) return malformedHeader(`${prefix}-Signature`);
    // `v1a` (Ed25519) and future versions are skipped, as the reference libraries do.
    const values = entries.filter(([version]) => version === 'v1').map(([, value]) => value ?? '');
    if (values.length === 0) return UNSUPPORTED_VERSION;
    const signatures = allDecoded(values, (value) => fromBase64(value, 32));
    if (!signatures) return malformedHeader(`${prefix}-Signature`);
    const keys = standardWebhooksKeys(secret);
    if (!Array.isArray(keys)) return keys;
    const signed = `${id}.${timestamp}.`;
    const matches = keys.some((key) => {
      const expected = hmac('sha256', key, signed, request.body);
      return signatures.some((signature) => safeEqual(expected, signature));
    });
    return matches ? checkTimestamp(Number(timestamp), nowMs) : WRONG_SIGNATURE;
  },
};

function signedHeader(request: ProviderRequest, part: 'id' | 'timestamp' | 'signature'): string | undefined {
  return request.header(`webhook-${part}`) ?? request.header(`svix-${part}`);
}
