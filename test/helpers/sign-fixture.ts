import { sign as signGithub } from '@octokit/webhooks-methods';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import twilio from 'twilio';
import { fixtureBytes, type Fixture } from './fixtures.ts';

/** The URL a fixture is sent to when the test does not say (Twilio signs it). */
export const FIXTURE_URL = 'https://hooks.example.com/wh/TOKEN';

type Signer = (body: string, secret: string, at: number, fixture: Fixture & { url?: string }) => Promise<Record<string, string>> | Record<string, string>;

/**
 * Each sender's signature made by the sender's own code (its SDK) where one exists, so a test's expected
 * verdict does not mirror hookwatch's implementation.
 */
const signers: Record<string, Signer> = {
  stripe: (body, secret, at) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: at }) }),
  github: async (body, secret) => ({ 'x-hub-signature-256': await signGithub(secret, body) }),
  'standard-webhooks': (body, secret, at, fixture) => {
    const id = fixture.headers['webhook-id'] ?? 'msg_test';
    return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': new Webhook(secret).sign(id, new Date(at * 1000), body) };
  },
  twilio: (body, secret, _at, fixture) => ({
    'x-twilio-signature': twilio.getExpectedTwilioSignature(secret, fixture.url ?? FIXTURE_URL, Object.fromEntries(new URLSearchParams(body))),
  }),
  // No Shopify package signs webhooks (its SDK only verifies): the documented base64 HMAC-SHA256 of the body.
  shopify: (body, secret) => ({ 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64') }),
  // GitLab sends the secret token itself.
  gitlab: (_body, secret) => ({ 'x-gitlab-token': secret }),
};

/**
 * The fixture signed afresh at `atSeconds` (default now) for `url`, its `timestamp` set to match; the stored
 * signature headers are not trusted. A fixture without a secret comes back as it is.
 */
export async function signFixture<F extends Fixture & { url?: string }>(fixture: F, options: { atSeconds?: number; url?: string } = {}): Promise<F> {
  const signer = signers[fixture.provider ?? ''];
  if (fixture.secret === undefined || !signer) return fixture;
  const at = options.atSeconds ?? Math.floor(Date.now() / 1000);
  const resigned = { ...fixture, ...(options.url ? { url: options.url } : {}), timestamp: at };
  const headers = await signer(fixtureBytes(fixture).toString('utf8'), fixture.secret, at, resigned);
  return { ...resigned, headers: { ...fixture.headers, ...headers } };
}
