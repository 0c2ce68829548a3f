import { describe, expect, it } from 'vitest';
import type { ProviderRequest } from '../../../src/providers/provider.ts';
import { verifyDelivery } from '../../../src/providers/verify-delivery.ts';
import { fixtureNamed } from '../../helpers/fixtures.ts';
import {
  discordPublicKey,
  discordRequest,
  fixtureRequest,
  linearRequest,
  NOW_S,
  paddleRequest,
  slackRequest,
  type FixtureChange,
  type ProviderFixture,
} from './requests.ts';

const named = (prefix: string) => fixtureNamed(prefix) as ProviderFixture;
const stripe = named('stripe');
const github = named('github');
const gitlab = named('gitlab');
const shopify = named('shopify');
const standard = named('standard-webhooks');
const twilio = named('twilio');
const HEX64 = 'ab'.repeat(32);
const JSON_BODY = '{"event_id":"evt_1","event_type":"transaction.completed","notification_id":"ntf_1"}';

interface Case {
  provider: string;
  request: ProviderRequest;
  secret: string;
  reason: string;
}

function fixtureCase(fixture: ProviderFixture, change: FixtureChange, reason: string, secret = fixture.secret!): Case {
  return { provider: fixture.provider!, request: fixtureRequest(fixture, change), secret, reason };
}

const MALFORMED_STRIPE = 'malformed Stripe-Signature header';
const cases: Array<[string, Case]> = [
  ['Stripe without its header', fixtureCase(stripe, { drop: 'stripe-signature' }, 'missing Stripe-Signature header')],
  ['Stripe with garbage', fixtureCase(stripe, { headers: { 'stripe-signature': 'garbage' } }, MALFORMED_STRIPE)],
  ['Stripe truncated', fixtureCase(stripe, { headers: { 'stripe-signature': 't=1764000000,v1=c4e8' } }, MALFORMED_STRIPE)],
  ['Stripe without t=', fixtureCase(stripe, { headers: { 'stripe-signature': `v1=${HEX64}` } }, MALFORMED_STRIPE)],
  ['Stripe with only v2', fixtureCase(stripe, { headers: { 'stripe-signature': `t=1764000000,v2=${HEX64}` } }, 'unsupported signature version')],
  ['GitHub without its header', fixtureCase(github, { drop: 'x-hub-signature-256' }, 'missing X-Hub-Signature-256 header')],
  ['GitHub truncated', fixtureCase(github, { headers: { 'x-hub-signature-256': 'sha256=ae73ce' } }, 'malformed X-Hub-Signature-256 header')],
  ['GitHub with sha512', fixtureCase(github, { headers: { 'x-hub-signature-256': `sha512=${HEX64}` } }, 'unsupported signature version')],
  ['GitLab without its token', fixtureCase(gitlab, { drop: 'x-gitlab-token' }, 'missing X-Gitlab-Token header')],
  ['Shopify without its header', fixtureCase(shopify, { drop: 'x-shopify-hmac-sha256' }, 'missing X-Shopify-Hmac-Sha256 header')],
  ['Shopify with non-base64', fixtureCase(shopify, { headers: { 'x-shopify-hmac-sha256': 'not base64!' } }, 'malformed X-Shopify-Hmac-Sha256 header')],
  ['Shopify truncated', fixtureCase(shopify, { headers: { 'x-shopify-hmac-sha256': 'syLJl7lBvuFv' } }, 'malformed X-Shopify-Hmac-Sha256 header')],
  ['Standard Webhooks without a signature', fixtureCase(standard, { drop: 'webhook-signature' }, 'missing Webhook-Signature header')],
  ['Standard Webhooks without a timestamp', fixtureCase(standard, { drop: 'webhook-timestamp' }, 'missing Webhook-Timestamp header')],
  ['Standard Webhooks with a word for a timestamp', fixtureCase(standard, { headers: { 'webhook-timestamp': 'soon' } }, 'malformed Webhook-Timestamp header')],
  ['Standard Webhooks without a comma', fixtureCase(standard, { headers: { 'webhook-signature': 'v1' } }, 'malformed Webhook-Signature header')],
  ['Standard Webhooks truncated', fixtureCase(standard, { headers: { 'webhook-signature': 'v1,PGAx/vRP35' } }, 'malformed Webhook-Signature header')],
  ['Standard Webhooks v2,', fixtureCase(standard, { headers: { 'webhook-signature': 'v2,PGAx/vRP35KKxfU436gDNzRGK02utSu4aGyDdjcxI+I=' } }, 'unsupported signature version')],
  ['Standard Webhooks with whsec_ alone', fixtureCase(standard, {}, 'empty secret', 'whsec_')],
  ['Standard Webhooks with a non-base64 secret', fixtureCase(standard, {}, 'malformed secret (expected whsec_ followed by base64)', 'whsec_%%%')],
  ['Twilio without its header', fixtureCase(twilio, { drop: 'x-twilio-signature' }, 'missing X-Twilio-Signature header')],
  ['Twilio truncated', fixtureCase(twilio, { headers: { 'x-twilio-signature': 'IcPFSiTD' } }, 'malformed X-Twilio-Signature header')],
  ['Slack truncated', slackCase({ 'x-slack-signature': 'v0=abc' }, 'malformed X-Slack-Signature header')],
  ['Slack v1=', slackCase({ 'x-slack-signature': `v1=${HEX64}` }, 'unsupported signature version')],
  ['Slack with a garbled timestamp', slackCase({ 'x-slack-request-timestamp': '17e8' }, 'malformed X-Slack-Request-Timestamp header')],
  ['Paddle with only h2', { provider: 'paddle', request: paddleWith(`ts=${NOW_S};h2=${HEX64}`), secret: 's', reason: 'unsupported signature version' }],
  ['Paddle without ts', { provider: 'paddle', request: paddleWith(`h1=${HEX64}`), secret: 's', reason: 'malformed Paddle-Signature header' }],
  ['Linear truncated', { provider: 'linear', request: linearWith('deadbeef'), secret: 's', reason: 'malformed Linear-Signature header' }],
  ['Discord truncated', { provider: 'discord', request: discordWith('ab12'), secret: discordPublicKey, reason: 'malformed X-Signature-Ed25519 header' }],
  ['Discord with a secret that is no public key', { provider: 'discord', request: discordRequest('{"type":1}'), secret: 'hunter2', reason: 'malformed public key (expected the 64-hex application public key)' }],
];

function slackCase(headers: Record<string, string>, reason: string): Case {
  const signed = slackRequest('s', '{"type":"event_callback"}');
  const request = { ...signed, header: (name: string) => headers[name.toLowerCase()] ?? signed.header(name) };
  return { provider: 'slack', request, secret: 's', reason };
}

function paddleWith(header: string): ProviderRequest {
  const signed = paddleRequest('s', JSON_BODY);
  return { ...signed, header: (name) => (name.toLowerCase() === 'paddle-signature' ? header : signed.header(name)) };
}

function linearWith(header: string): ProviderRequest {
  const signed = linearRequest('s', '{}');
  return { ...signed, header: (name) => (name.toLowerCase() === 'linear-signature' ? header : signed.header(name)) };
}

function discordWith(header: string): ProviderRequest {
  const signed = discordRequest('{"type":1}');
  return { ...signed, header: (name) => (name.toLowerCase() === 'x-signature-ed25519' ? header : signed.header(name)) };
}

const verify = (provider: string, request: ProviderRequest, secret: string | undefined) =>
  verifyDelivery(request, { provider, providerName: provider }, secret, NOW_S * 1000);

describe('signature problems', () => {
  it.each(cases)('%s is invalid with a reason', (_, { provider, request, secret, reason }) => {
    expect(verify(provider, request, secret)).toEqual({ status: 'invalid', reason });
  });

  const everyProvider = ['stripe', 'github', 'gitlab', 'shopify', 'standard-webhooks', 'twilio', 'slack', 'paddle', 'linear', 'discord'];
  it.each(everyProvider)('%s refuses an empty or blank secret', (provider) => {
    for (const secret of ['', '  \n']) expect(verify(provider, fixtureRequest(stripe), secret)).toEqual({ status: 'invalid', reason: 'empty secret' });
  });

  it.each([stripe, github, shopify, standard, twilio])('a non-UTF-8 body with the $provider header is invalid, not an exception', (fixture) => {
    const request = fixtureRequest(fixture, { body: Buffer.from([0xff, 0xfe, 0x7b, 0x80, 0x00, 0xc3]) });
    expect(verify(fixture.provider!, request, fixture.secret)).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/^wrong /) });
  });

  it('refuses a Discord request with a missing header or a wrong key', () => {
    const body = '{"type":1}';
    const { header, ...rest } = discordRequest(body);
    const withoutTimestamp: ProviderRequest = { ...rest, header: (name) => (name.toLowerCase() === 'x-signature-timestamp' ? undefined : header(name)) };
    expect(verify('discord', withoutTimestamp, discordPublicKey)).toEqual({ status: 'invalid', reason: 'missing X-Signature-Timestamp header' });
    expect(verify('discord', discordRequest(body), 'ab'.repeat(32))).toMatchObject({ status: 'invalid' });
  });
});
