import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectProvider } from '../../../src/providers/detect-provider.ts';
import { verifyDelivery } from '../../../src/providers/verify-delivery.ts';
import { DEFAULT_URL, NOW_S, requestOf } from './requests.ts';

const SECRET = 'sender-secret';
const mac = (algorithm: 'sha1' | 'sha256', text: string, encoding: 'hex' | 'base64' = 'hex') => createHmac(algorithm, SECRET).update(text).digest(encoding);

interface SenderCase {
  provider: string;
  body: object;
  /** The headers the sender sends for this body, signed by its documented scheme. */
  headers(body: string): Record<string, string>;
  event: string;
  summary: string;
}

const senders: Record<string, SenderCase> = {
  Zoom: {
    provider: 'zoom',
    body: { event: 'meeting.participant_joined', event_ts: 1, payload: { object: { topic: 'Standup', participant: { user_name: 'Ana' }, host_email: 'h@example.com' } } },
    headers: (body) => ({ 'x-zm-request-timestamp': String(NOW_S), 'x-zm-signature': `v0=${mac('sha256', `v0:${NOW_S}:${body}`)}` }),
    event: 'meeting.participant_joined',
    summary: 'Standup · Ana · host h@example.com',
  },
  Sentry: {
    provider: 'sentry',
    body: { action: 'created', data: { issue: { title: 'TypeError: x is undefined', level: 'error', project: { slug: 'web' } } } },
    headers: (body) => ({ 'sentry-hook-resource': 'issue', 'request-id': 'r1', 'sentry-hook-signature': mac('sha256', body) }),
    event: 'issue',
    summary: 'created · TypeError: x is undefined · error · web',
  },
  Vercel: {
    provider: 'vercel',
    body: { id: 'evt_v', type: 'deployment.succeeded', payload: { name: 'site', target: 'production', url: 'site-abc.vercel.app' } },
    headers: (body) => ({ 'x-vercel-signature': mac('sha1', body) }),
    event: 'deployment.succeeded',
    summary: 'site · production · site-abc.vercel.app',
  },
  Bitbucket: {
    provider: 'bitbucket',
    body: { repository: { full_name: 'team/app' }, pullrequest: { id: 4, title: 'Add login', state: 'OPEN' }, actor: { display_name: 'Bo' } },
    headers: (body) => ({ 'x-event-key': 'pullrequest:created', 'x-request-uuid': 'u1', 'x-hub-signature': `sha256=${mac('sha256', body)}` }),
    event: 'pullrequest:created',
    summary: 'team/app · #4 Add login · OPEN · by Bo',
  },
  Jira: {
    provider: 'jira',
    body: { webhookEvent: 'jira:issue_updated', timestamp: 1, issue_event_type_name: 'issue_generic', issue: { key: 'OPS-9', fields: { summary: 'Disk full', status: { name: 'In Progress' } } }, user: { displayName: 'Cy' } },
    headers: (body) => ({ 'x-atlassian-webhook-identifier': 'w1', 'x-hub-signature': `sha256=${mac('sha256', body)}` }),
    event: 'jira:issue_updated',
    summary: 'OPS-9 Disk full · issue_generic · In Progress · by Cy',
  },
  Calendly: {
    provider: 'calendly',
    body: { event: 'invitee.created', payload: { name: 'Di', email: 'di@example.com', status: 'active', scheduled_event: { name: 'Intro call' } } },
    headers: (body) => ({ 'calendly-webhook-signature': `t=${NOW_S},v1=${mac('sha256', `${NOW_S}.${body}`)}` }),
    event: 'invitee.created',
    summary: 'Intro call · Di · di@example.com · active',
  },
  Typeform: {
    provider: 'typeform',
    body: { event_id: 'e1', event_type: 'form_response', form_response: { form_id: 'f1', submitted_at: '2026-11-27T06:00:00Z', definition: { title: 'Feedback' } } },
    headers: (body) => ({ 'typeform-signature': `sha256=${mac('sha256', body, 'base64')}` }),
    event: 'form_response',
    summary: 'Feedback · submitted 2026-11-27T06:00:00Z',
  },
  Square: {
    provider: 'square',
    body: { event_id: 'sq1', type: 'payment.updated', data: { type: 'payment', id: 'p1', object: { payment: { status: 'COMPLETED' } } } },
    headers: (body) => ({ 'x-square-hmacsha256-signature': mac('sha256', DEFAULT_URL + body, 'base64') }),
    event: 'payment.updated',
    summary: 'payment p1 · COMPLETED',
  },
  'Lemon Squeezy': {
    provider: 'lemon-squeezy',
    body: { meta: { event_name: 'order_created' }, data: { attributes: { first_order_item: { product_name: 'Pro' }, total_formatted: '$9.00', user_email: 'e@example.com', status: 'paid' } } },
    headers: (body) => ({ 'x-event-name': 'order_created', 'x-signature': mac('sha256', body) }),
    event: 'order_created',
    summary: 'Pro · $9.00 · e@example.com · paid',
  },
  Intercom: {
    provider: 'intercom',
    body: { type: 'notification_event', id: 'notif_1', topic: 'conversation.user.created', data: { item: { type: 'conversation', state: 'open', source: { subject: 'Help' } } } },
    headers: (body) => ({ 'x-hub-signature': `sha1=${mac('sha1', body)}` }),
    event: 'conversation.user.created',
    summary: 'conversation · Help · open',
  },
  Mailgun: {
    provider: 'mailgun',
    body: { signature: { timestamp: String(NOW_S), token: 'tok', signature: mac('sha256', `${NOW_S}tok`) }, 'event-data': { event: 'failed', id: 'm1', recipient: 'x@example.com', severity: 'permanent', reason: 'bounce', message: { headers: { subject: 'Hi' } } } },
    headers: () => ({}),
    event: 'failed',
    summary: 'x@example.com · Hi · permanent bounce',
  },
};

describe('more senders, each signed by its documented scheme', () => {
  it.each(Object.entries(senders))('recognises, describes and verifies %s', (_name, sender) => {
    const body = JSON.stringify(sender.body);
    const request = requestOf({ 'content-type': 'application/json', ...sender.headers(body) }, body);
    const detection = detectProvider(request);
    expect(detection).toMatchObject({ provider: sender.provider, event: sender.event, summary: sender.summary });
    expect(verifyDelivery(request, detection, SECRET, NOW_S * 1000)).toEqual({ status: 'valid' });
    expect(verifyDelivery(request, detection, 'another-secret', NOW_S * 1000)).toEqual({ status: 'invalid', reason: 'wrong secret or changed body' });
  });

  it('recognises Postmark by its record type and says it is unsigned', () => {
    const request = requestOf({ 'content-type': 'application/json' }, JSON.stringify({ RecordType: 'Bounce', MessageID: 'm', Email: 'z@example.com', Type: 'HardBounce', Tag: 'welcome' }));
    const detection = detectProvider(request);
    expect(detection).toMatchObject({ provider: 'postmark', event: 'Bounce', summary: 'z@example.com · HardBounce · tag welcome' });
    expect(verifyDelivery(request, detection, SECRET, NOW_S * 1000)).toEqual({ status: 'unsigned' });
  });

  it('reads PayPal fields and says its signature is not verifiable offline', () => {
    const body = { id: 'WH-1', event_type: 'PAYMENT.CAPTURE.COMPLETED', summary: 'Payment completed for $ 7.5 USD', resource: { amount: { value: '7.50', currency_code: 'USD' }, status: 'COMPLETED' } };
    const request = requestOf({ 'paypal-transmission-id': 't', 'paypal-transmission-sig': 's' }, JSON.stringify(body));
    const detection = detectProvider(request);
    expect(detection).toMatchObject({ provider: 'paypal', event: 'PAYMENT.CAPTURE.COMPLETED', summary: 'Payment completed for $ 7.5 USD · 7.50 USD · COMPLETED' });
    expect(verifyDelivery(request, detection, SECRET, NOW_S * 1000)).toEqual({ status: 'invalid', reason: 'not verifiable offline (PayPal checks it by API call)' });
  });

  it('says a Zoom signature is stale past the window and names a missing timestamp header', () => {
    const { headers } = senders.Zoom!;
    const body = JSON.stringify(senders.Zoom!.body);
    const request = requestOf(headers(body), body);
    expect(verifyDelivery(request, detectProvider(request), SECRET, (NOW_S + 600) * 1000)).toMatchObject({ reason: 'stale timestamp (600 s old, tolerance 300 s)' });
    const undated = requestOf({ 'x-zm-signature': headers(body)['x-zm-signature']! }, body);
    expect(verifyDelivery(undated, detectProvider(undated), SECRET, NOW_S * 1000)).toMatchObject({ reason: 'missing X-Zm-Request-Timestamp header' });
  });

  it('summarises a SendGrid batch by count and types and checks its ECDSA signature with the verification key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const verificationKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const body = JSON.stringify([
      { email: 'a@example.com', event: 'delivered', sg_event_id: 'e1' },
      { email: 'b@example.com', event: 'delivered', sg_event_id: 'e2' },
      { email: 'a@example.com', event: 'open', sg_event_id: 'e3' },
    ]);
    const timestamp = String(NOW_S);
    const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
    const headers = { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp };
    const request = requestOf(headers, body);
    const detection = detectProvider(request);
    expect(detection).toMatchObject({ provider: 'sendgrid', event: 'batch', summary: '3 events: delivered ×2, open' });
    expect(verifyDelivery(request, detection, verificationKey, NOW_S * 1000)).toEqual({ status: 'valid' });
    const changed = requestOf(headers, body.replace('open', 'drop'));
    expect(verifyDelivery(changed, detection, verificationKey, NOW_S * 1000)).toEqual({ status: 'invalid', reason: 'wrong secret or changed body' });
    expect(verifyDelivery(request, detection, 'not-a-key', NOW_S * 1000)).toMatchObject({ reason: 'the secret is not a SendGrid verification key (base64 public key)' });
  });

  it('summarises a HubSpot batch and checks its v3 signature over method, URL, body and timestamp', () => {
    const body = JSON.stringify([{ subscriptionType: 'contact.creation', portalId: 1, objectId: 7 }, { subscriptionType: 'contact.propertyChange', portalId: 1, objectId: 7 }]);
    const timestamp = String(NOW_S * 1000);
    const signature = mac('sha256', `POST${DEFAULT_URL}${body}${timestamp}`, 'base64');
    const request = requestOf({ 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body);
    const detection = detectProvider(request);
    expect(detection).toMatchObject({ provider: 'hubspot', event: 'batch', summary: '2 events: contact.creation, contact.propertyChange' });
    expect(verifyDelivery(request, detection, SECRET, NOW_S * 1000)).toEqual({ status: 'valid' });
    expect(verifyDelivery(request, detection, SECRET, (NOW_S + 301) * 1000)).toMatchObject({ reason: 'stale timestamp (301 s old, tolerance 300 s)' });
  });

  it('names the person of a Clerk event and the recipient and subject of a Resend one (both Standard Webhooks)', () => {
    const clerk = { type: 'user.created', data: { object: 'user', first_name: 'Ed', last_name: 'Li', email_addresses: [{ email_address: 'ed@example.com' }] } };
    const resend = { type: 'email.delivered', data: { email_id: 'e1', to: ['fi@example.com'], subject: 'Welcome' } };
    const summary = (body: object) => detectProvider(requestOf({ 'svix-id': 'msg_1' }, JSON.stringify(body)))?.summary;
    expect([summary(clerk), summary(resend)]).toEqual(['ed@example.com · Ed Li', 'fi@example.com · Welcome']);
  });
});
