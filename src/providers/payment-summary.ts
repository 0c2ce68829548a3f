import { formatMoney } from './format-money.ts';
import { firstString, valueAt } from './json-fields.ts';

const AMOUNT_FIELDS = ['amount', 'amount_total', 'amount_paid', 'amount_due', 'total'];
const PAYER_FIELDS = ['receipt_email', 'customer_email', 'billing_details.email', 'customer_details.email', 'email', 'customer.email', 'customer_id', 'customer'];

/** `$99.99 from jane@example.com` from the usual payment fields of an object; undefined when it has none. */
export function paymentSummary(object: unknown): string | undefined {
  const amount = AMOUNT_FIELDS.map((field) => valueAt(object, field)).find((value) => typeof value === 'number' || typeof value === 'string');
  const currency = firstString(object, ['currency', 'currency_code']);
  const payer = firstString(object, PAYER_FIELDS);
  const money = amount === undefined || currency === undefined ? undefined : moneyText(amount, currency);
  if (payer === undefined) return money;
  return money === undefined ? `from ${payer}` : `${money} from ${payer}`;
}

/** Integers are minor units (Stripe and most JSON APIs); decimal strings and fractions are already major units. */
function moneyText(amount: number | string, currency: string): string | undefined {
  if (typeof amount === 'number' && Number.isSafeInteger(amount)) return formatMoney(amount, currency);
  if (typeof amount === 'number' || /^-?\d+(\.\d+)?$/.test(amount)) return `${amount} ${currency.toUpperCase()}`;
  return undefined;
}
