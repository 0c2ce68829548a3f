import { createTimestampedVerifier } from './create-timestamped-verifier.ts';
import { formatMoney } from './format-money.ts';
import { stringAt } from './json-fields.ts';
import { joinParts } from './one-line.ts';
import type { Provider } from './provider.ts';

/**
 * Paddle Billing: `Paddle-Signature: ts=…;h1=<hex>` of `${ts}:${body}`, several h1 during a rotation.
 * Paddle suggests a 5 s window; we allow the common 300 s so a skewed clock does not flag every delivery.
 */
export const paddle: Provider = {
  id: 'paddle',
  name: 'Paddle',
  headers: ['paddle-signature'],
  signatureHeaders: ['paddle-signature'],
  sniff: ({ json }) => ['notification_id', 'event_id', 'event_type'].every((field) => stringAt(json, field) !== undefined),
  describe: ({ json }) => ({ event: stringAt(json, 'event_type'), eventId: stringAt(json, 'event_id'), summary: paddleSummary(json?.data) }),
  verify: createTimestampedVerifier({ header: 'Paddle-Signature', separator: ';', timestampKey: 'ts', signatureKey: 'h1', joiner: ':' }),
};

/** `txn_01h… · completed · $12.34`: Paddle totals are strings in minor units. */
function paddleSummary(data: unknown): string | undefined {
  const total = stringAt(data, 'details.totals.grand_total') ?? stringAt(data, 'details.totals.total');
  const currency = stringAt(data, 'currency_code');
  const money = total !== undefined && currency !== undefined && /^-?\d+$/.test(total) ? formatMoney(Number(total), currency) : undefined;
  return joinParts(stringAt(data, 'id'), stringAt(data, 'status'), money ?? stringAt(data, 'email'));
}
