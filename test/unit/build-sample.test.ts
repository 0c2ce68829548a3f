import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { buildSample } from '../../src/samples/build-sample.ts';

const AT = Math.floor(Date.now() / 1000);
const SVIX_SECRET = `whsec_${Buffer.from('sample signing key of 24 b').toString('base64')}`;

describe('buildSample', () => {
  it("signs a Stripe sample that Stripe's own library accepts, with the event asked for", () => {
    const sample = buildSample({ provider: 'stripe', event: 'invoice.paid', secret: 'whsec_test', at: AT })!;
    const event = Stripe.webhooks.constructEvent(sample.body, sample.headers['stripe-signature']!, 'whsec_test');
    expect(event.type).toBe('invoice.paid');
  });

  it("signs a GitHub sample that octokit's verify accepts", async () => {
    const sample = buildSample({ provider: 'github', secret: 'gh-secret', at: AT })!;
    expect(sample.headers['x-github-event']).toBe('push');
    expect(await verifyGithub('gh-secret', sample.body, sample.headers['x-hub-signature-256']!)).toBe(true);
  });

  it('signs a Standard Webhooks sample that the reference package verifies, with the first of several secrets', () => {
    const sample = buildSample({ provider: 'standard-webhooks', secret: `${SVIX_SECRET} whsec_b2xk`, at: AT })!;
    expect(new Webhook(SVIX_SECRET).verify(sample.body, sample.headers)).toMatchObject({ type: 'invoice.paid' });
  });

  it("signs Shopify's base64 HMAC of the body and sends GitLab's token as is", () => {
    const shopify = buildSample({ provider: 'shopify', secret: 'shp-secret', at: AT })!;
    expect(shopify.headers['x-shopify-hmac-sha256']).toBe(createHmac('sha256', 'shp-secret').update(shopify.body).digest('base64'));
    expect(buildSample({ provider: 'gitlab', secret: 'glpat-token', at: AT })!.headers['x-gitlab-token']).toBe('glpat-token');
  });

  it('gives each sample fresh event ids, so a second one is no redelivery of the first', () => {
    const [first, second] = [1, 2].map(() => buildSample({ provider: 'stripe', at: AT })!);
    expect(JSON.parse(first!.body).id).not.toBe(JSON.parse(second!.body).id);
    expect(first!.headers['stripe-signature']).toBeUndefined();
  });

  it('knows no sender it has no sample for', () => {
    expect(buildSample({ provider: 'nope', at: AT })).toBeUndefined();
  });
});
