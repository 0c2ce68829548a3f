import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectProvider } from '../../../src/providers/detect-provider.ts';
import type { ProviderRequest } from '../../../src/providers/provider.ts';
import { verifyDelivery } from '../../../src/providers/verify-delivery.ts';
import { fixtureNamed } from '../../helpers/fixtures.ts';
import { signFixture } from '../../helpers/sign-fixture.ts';
import { discordPublicKey, discordRequest, fixtureRequest, linearRequest, NOW_S, paddleRequest, slackRequest, standardWebhooksRequest, requestOf } from './requests.ts';

const check = (request: ProviderRequest, secret: string, nowS = NOW_S) => verifyDelivery(request, detectProvider(request), secret, nowS * 1000);
const STALE = { status: 'invalid', reason: 'stale timestamp (301 s old, tolerance 300 s)' };
const WRONG = { status: 'invalid', reason: 'wrong secret or changed body' };

const slackBody = '{"type":"event_callback","api_app_id":"A1","event_id":"Ev1","event":{"type":"app_mention","user":"U1","channel":"C1","text":"hi <@U2>\\nthere"}}';
const paddleBody = '{"event_id":"evt_01h","event_type":"transaction.completed","notification_id":"ntf_1","data":{"id":"txn_01h","status":"completed","currency_code":"USD","details":{"totals":{"grand_total":"1234"}}}}';
const linearBody = `{"action":"create","type":"Issue","organizationId":"o1","webhookTimestamp":${NOW_S * 1000},"data":{"identifier":"ENG-12","title":"Fix login"}}`;
const discordBody = '{"version":1,"application_id":"1","type":1,"event":{"type":"APPLICATION_AUTHORIZED","data":{"user":{"username":"jane"}}}}';

describe('providers without a shared fixture', () => {
  it.each([
    ['Slack', slackRequest('slack-secret', slackBody), 'slack-secret', { provider: 'slack', event: 'app_mention', eventId: 'Ev1', summary: 'app_mention by U1 in C1: hi <@U2> there' }],
    ['Paddle', paddleRequest('pdl-secret', paddleBody), 'pdl-secret', { provider: 'paddle', event: 'transaction.completed', eventId: 'evt_01h', summary: 'txn_01h · completed · $12.34' }],
    ['Linear', linearRequest('lin-secret', linearBody), 'lin-secret', { provider: 'linear', event: 'Issue.create', eventId: 'd-1', summary: 'ENG-12 Fix login' }],
    ['Discord', discordRequest(discordBody), discordPublicKey, { provider: 'discord', event: 'APPLICATION_AUTHORIZED', summary: 'by jane' }],
  ] as const)('%s is detected and verified', (_, request, secret, detection) => {
    expect(detectProvider(request)).toMatchObject(detection);
    expect(check(request, secret)).toEqual({ status: 'valid' });
    expect(check(request, `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`)).toMatchObject({ status: 'invalid' });
  });

  it('rejects stale Slack, Paddle, Linear and Discord requests', () => {
    expect(check(slackRequest('s', slackBody), 's', NOW_S + 301)).toEqual(STALE);
    expect(check(paddleRequest('s', paddleBody), 's', NOW_S + 301)).toEqual(STALE);
    expect(check(linearRequest('s', linearBody), 's', NOW_S + 301)).toEqual(STALE);
    expect(check(discordRequest(discordBody), discordPublicKey, NOW_S + 301)).toEqual(STALE);
    expect(check(slackRequest('s', slackBody), 's', NOW_S - 400)).toEqual({ status: 'invalid', reason: 'timestamp 400 s in the future (tolerance 300 s)' });
  });

  it('reports a wrong Slack secret before a stale timestamp', () => {
    expect(check(slackRequest('s', slackBody), 'other', NOW_S + 301)).toEqual(WRONG);
  });
});

describe('several signatures and secrets', () => {
  it('accepts a Stripe header with several v1 signatures when one matches', async () => {
    const stripe = await signFixture(fixtureNamed('stripe'), { atSeconds: NOW_S });
    const header = stripe.headers['stripe-signature']!.replace(',v1=', `,v1=${'0'.repeat(64)},v1=`);
    expect(check(fixtureRequest(stripe, { headers: { 'stripe-signature': header } }), stripe.secret!)).toEqual({ status: 'valid' });
  });

  const [oldKey, newKey, otherKey] = [randomBytes(24), randomBytes(24), randomBytes(24)];
  const whsec = (key: Buffer) => `whsec_${key.toString('base64')}`;

  it.each([' ', ',', ', ', '\n'])('accepts any of a Standard Webhooks rotation list separated by %j', (separator) => {
    const secrets = `${whsec(oldKey)}${separator}${whsec(newKey)}`;
    expect(check(standardWebhooksRequest([newKey], '{"type":"a"}'), secrets)).toEqual({ status: 'valid' });
    expect(check(standardWebhooksRequest([oldKey], '{"type":"a"}'), secrets)).toEqual({ status: 'valid' });
    expect(check(standardWebhooksRequest([otherKey], '{"type":"a"}'), secrets)).toEqual(WRONG);
  });

  it('accepts a Standard Webhooks header listing several signatures, and the svix- header names', () => {
    expect(check(standardWebhooksRequest([otherKey, newKey], '{"type":"a"}'), whsec(newKey))).toEqual({ status: 'valid' });
    const body = '{"type":"user.created"}';
    const signed = standardWebhooksRequest([newKey], body);
    const svix = requestOf({ 'svix-id': 'msg_1', 'svix-timestamp': String(NOW_S), 'svix-signature': signed.header('webhook-signature')! }, body);
    expect(detectProvider(svix)).toMatchObject({ provider: 'standard-webhooks', event: 'user.created', eventId: 'msg_1' });
    expect(check(svix, whsec(newKey))).toEqual({ status: 'valid' });
    const unsigned = requestOf({ 'svix-id': 'msg_1', 'svix-timestamp': String(NOW_S) }, body);
    expect(check(unsigned, whsec(newKey))).toEqual({ status: 'invalid', reason: 'missing Svix-Signature header' });
  });
});
