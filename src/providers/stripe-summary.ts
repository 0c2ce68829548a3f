import { recordAt, stringAt } from './json-fields.ts';
import { joinParts } from './one-line.ts';
import { paymentSummary } from './payment-summary.ts';
import { stripeChanges } from './stripe-changes.ts';
import { stripeLine } from './stripe-lines.ts';

/** `subscription active · Pro $20.00/month × 3 · cus_1 · changed quantity 1 → 3` from an event's `data`. */
export function stripeSummary(data: unknown): string | undefined {
  const object = recordAt(data, 'object');
  const line = stripeLine(object);
  const facts = line ?? [paymentSummary(object) ?? joinParts(stringAt(object, 'id'), stringAt(object, 'status'))];
  return joinParts(...facts, stripeChanges(data));
}
