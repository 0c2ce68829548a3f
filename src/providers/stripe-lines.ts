import { fillTemplate } from './fill-template.ts';
import { numberAt, stringAt } from './json-fields.ts';
import { moneyAt } from './money-at.ts';

/** A fact about a Stripe object: a `fillTemplate` template, or a function for money and plans. */
type StripeFact = string | ((object: unknown) => string | undefined);

const EMAIL = '{customer_email|customer_details.email|email|receipt_email}';

/** `Pro $20.00/month × 2`: the first item's plan, price and quantity. */
function plan(object: unknown): string | undefined {
  const price = stringAt(object, 'items.data.0.price.nickname') ?? stringAt(object, 'items.data.0.price.id') ?? stringAt(object, 'plan.nickname') ?? stringAt(object, 'plan.id');
  const money = moneyAt(object, 'items.data.0.price.unit_amount', 'items.data.0.price.currency') ?? moneyAt(object, 'plan.amount', 'plan.currency');
  const interval = stringAt(object, 'items.data.0.price.recurring.interval') ?? stringAt(object, 'plan.interval');
  const quantity = numberAt(object, 'items.data.0.quantity') ?? numberAt(object, 'quantity');
  const parts = [price, money && (interval ? `${money}/${interval}` : money), quantity !== undefined && quantity !== 1 && `× ${quantity}`];
  const text = parts.filter(Boolean).join(' ');
  return text === '' ? undefined : text;
}

const money = (path: string): StripeFact => (object) => moneyAt(object, path);

/** What a line says for each kind of Stripe object (`data.object.object`), as data. */
const STRIPE_LINES: Readonly<Record<string, readonly StripeFact[]>> = {
  subscription: ['subscription {status}', plan, '{customer}'],
  invoice: ['invoice {number|id}', '{status}', money('amount_due'), paid, EMAIL],
  'checkout.session': ['checkout {status}', '{payment_status}', money('amount_total'), EMAIL],
  dispute: ['dispute {reason}', '{status}', money('amount'), 'on {charge|payment_intent}'],
  refund: ['refund {status}', money('amount'), '{reason}', 'of {charge|payment_intent}'],
  payout: ['payout {status}', money('amount'), 'via {method}', 'failed: {failure_message}'],
  customer: ['customer {email|id}', '{name}'],
};

/** `paid $12.00` only when an invoice is partly paid: a full payment is already said by its status. */
function paid(object: unknown): string | undefined {
  const due = numberAt(object, 'amount_due');
  const amount = numberAt(object, 'amount_paid');
  return amount === undefined || amount === 0 || amount === due ? undefined : `paid ${moneyAt(object, 'amount_paid') ?? amount}`;
}

/** The line for a Stripe object of a known kind; undefined for others, which fall back to payment fields. */
export function stripeLine(object: unknown): string[] | undefined {
  const kind = stringAt(object, 'object');
  // Own keys only: a hostile `object: "constructor"` must not find a built-in.
  const facts = kind !== undefined && Object.hasOwn(STRIPE_LINES, kind) ? STRIPE_LINES[kind] : undefined;
  if (!facts) return undefined;
  return facts.map((fact) => (typeof fact === 'string' ? fillTemplate(fact, object) : fact(object))).filter((part): part is string => part !== undefined && part !== '');
}
