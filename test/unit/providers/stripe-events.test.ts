import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { detectProvider } from '../../../src/providers/detect-provider.ts';
import { verifyDelivery } from '../../../src/providers/verify-delivery.ts';
import { NOW_S, requestOf } from './requests.ts';

const SECRET = 'whsec_stripe_events_test';
const stripe = new Stripe('sk_test_unused');

/** Stripe's own shapes, cut to the fields a test sets: a misspelt field does not compile. */
type Shape<T> = { [K in keyof T]?: unknown };
interface TestEvent {
  type: Stripe.Event['type'];
  data: { object: Shape<unknown>; previous_attributes?: Shape<unknown> };
}

function eventOf<T>(type: Stripe.Event['type'], object: Shape<T>, previous?: Shape<T>): TestEvent {
  return { type, data: previous === undefined ? { object } : { object, previous_attributes: previous } };
}

const subscription: Shape<Stripe.Subscription> = {
  object: 'subscription',
  id: 'sub_1',
  status: 'active',
  customer: 'cus_1',
  items: { object: 'list', data: [{ price: { nickname: 'Pro', unit_amount: 2000, currency: 'usd', recurring: { interval: 'month' } }, quantity: 3 }] },
};

const events: Array<[string, TestEvent, string]> = [
  ['a subscription update by what changed', eventOf<Stripe.Subscription>('customer.subscription.updated', subscription, { status: 'past_due', items: { object: 'list', data: [{ price: { nickname: 'Pro' }, quantity: 1 }] } }), 'subscription active · Pro $20.00/month × 3 · cus_1 · changed status past_due → active, quantity 1 → 3'],
  ['a plan change by the plan names', eventOf<Stripe.Subscription>('customer.subscription.updated', subscription, { items: { data: [{ price: { nickname: 'Basic' }, quantity: 3 }] } }), 'subscription active · Pro $20.00/month × 3 · cus_1 · changed plan Basic → Pro'],
  ['an amount change in money', eventOf<Stripe.Charge>('charge.updated', { object: 'charge', amount: 5000, currency: 'eur' }, { amount: 4200 }), '€50.00 · changed amount €42.00 → €50.00'],
  ['a paid invoice', eventOf<Stripe.Invoice>('invoice.paid', { object: 'invoice', number: 'INV-7', status: 'paid', amount_due: 1999, amount_paid: 1999, currency: 'usd', customer_email: 'jo@example.com' }), 'invoice INV-7 · paid · $19.99 · jo@example.com'],
  ['a partly paid invoice', eventOf<Stripe.Invoice>('invoice.updated', { object: 'invoice', id: 'in_1', status: 'open', amount_due: 1000, amount_paid: 400, currency: 'gbp' }), 'invoice in_1 · open · £10.00 · paid £4.00'],
  ['a completed checkout', eventOf<Stripe.Checkout.Session>('checkout.session.completed', { object: 'checkout.session', status: 'complete', payment_status: 'paid', amount_total: 500, currency: 'jpy', customer_details: { email: 'ai@example.jp' } }), 'checkout complete · paid · 500 JPY · ai@example.jp'],
  ['a dispute by reason, status and amount', eventOf<Stripe.Dispute>('charge.dispute.created', { object: 'dispute', reason: 'fraudulent', status: 'needs_response', amount: 9999, currency: 'usd', charge: 'ch_1' }), 'dispute fraudulent · needs_response · $99.99 · on ch_1'],
  ['a refund', eventOf<Stripe.Refund>('refund.created', { object: 'refund', status: 'succeeded', amount: 250, currency: 'usd', reason: 'requested_by_customer', charge: 'ch_2' }), 'refund succeeded · $2.50 · requested_by_customer · of ch_2'],
  ['a failed payout', eventOf<Stripe.Payout>('payout.failed', { object: 'payout', status: 'failed', amount: 100000, currency: 'usd', method: 'standard', failure_message: 'Account closed' }), 'payout failed · $1,000.00 · via standard · failed: Account closed'],
  ['a new customer', eventOf<Stripe.Customer>('customer.created', { object: 'customer', id: 'cus_9', email: 'new@example.com', name: 'Nia' }), 'customer new@example.com · Nia'],
];

describe('Stripe events signed by the stripe package', () => {
  it.each(events)('describes %s', (_name, event, summary) => {
    const body = JSON.stringify({ id: 'evt_1', object: 'event', ...event });
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: NOW_S });
    const request = requestOf({ 'content-type': 'application/json', 'stripe-signature': header }, body);
    const detection = detectProvider(request);
    expect(detection).toMatchObject({ provider: 'stripe', event: event.type, summary });
    expect(verifyDelivery(request, detection, SECRET, NOW_S * 1000)).toEqual({ status: 'valid' });
  });

  it('names at most three changes, counts the rest, and never prints nested values or a hostile kind', () => {
    const previous = { a: 1, b: 'x', c: { deep: true }, d: null, e: 2 };
    const body = JSON.stringify({ id: 'evt_2', object: 'event', type: 'x.updated', data: { object: { object: 'constructor', a: 2, b: 'y', c: { deep: false } }, previous_attributes: previous } });
    expect(detectProvider(requestOf({ 'stripe-signature': 'x' }, body))?.summary).toBe('changed a 1 → 2, b x → y, c and 2 more');
  });
});
