import { randomUUID } from 'node:crypto';
import { fixtureNamed } from '../test/helpers/fixtures.ts';

export interface BenchRequest {
  headers: Record<string, string>;
  body: string;
}

/** Endpoints the realistic scenario spreads its deliveries over. */
export const REALISTIC_ENDPOINTS = 30;

const github = fixtureNamed('github');
const stripe = fixtureNamed('stripe');

/** The GitHub push fixture with a second commit: about 1.4 KB, as a push of a small change reads. */
const githubBody = (() => {
  const push = JSON.parse(github.body!) as { commits: unknown[] };
  push.commits.push({ ...(push.commits[0] as object), id: 'a8f1c7e3b2d94f60a1e5c3b7d9f2e4a6c8b0d1e3', message: 'Second commit of the push' });
  return JSON.stringify(push);
})();

/** The Stripe fixture with the charge detail a real payment_intent.succeeded carries: about 1.4 KB. */
const stripeBody = (() => {
  const event = JSON.parse(stripe.body!) as { data: { object: Record<string, unknown> } };
  Object.assign(event.data.object, {
    description: 'Order #100423 - 2 items',
    metadata: { order_id: '100423', customer_ref: 'cus_R2mXk81LpqT0aZ', channel: 'web' },
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    latest_charge: 'ch_3QxZ9aLkdIwHu7ix0Fz8kQ2v',
    shipping: { name: 'Jenny Rosen', address: { line1: '510 Townsend St', city: 'San Francisco', postal_code: '94103', state: 'CA', country: 'US' } },
    statement_descriptor_suffix: 'HOOKWATCH',
    receipt_email: 'jenny.rosen@example.com',
    payment_method_details: { type: 'card', card: { brand: 'visa', country: 'US', exp_month: 8, exp_year: 2027, fingerprint: 'Xt5EWLLDS7FJjR1c', funding: 'credit', last4: '4242', network: 'visa', checks: { address_line1_check: 'pass', address_postal_code_check: 'pass', cvc_check: 'pass' } } },
  });
  return JSON.stringify(event);
})();

/** Sizes of the two bodies, for the report. */
export const REALISTIC_BODY_BYTES = [Buffer.byteLength(githubBody), Buffer.byteLength(stripeBody)];

/**
 * Request `n` of the realistic load: GitHub pushes and Stripe events in turn, each with an event id
 * of its own (GitHub's delivery header, Stripe's `id`), so every one is a first and claims an index row.
 */
export function realisticRequest(n: number): BenchRequest {
  if (n % 2 === 0) return { headers: { ...github.headers, 'x-github-delivery': randomUUID() }, body: githubBody };
  const id = `evt_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  return { headers: stripe.headers, body: stripeBody.replace(/"id":"evt_[^"]+"/, `"id":"${id}"`) };
}
