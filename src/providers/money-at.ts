import { formatMoney } from './format-money.ts';
import { numberAt, stringAt } from './json-fields.ts';

/** `$20.00` from an amount in minor units and the currency beside it; undefined when either is missing. */
export function moneyAt(object: unknown, amountPath: string, currencyPath = 'currency'): string | undefined {
  const amount = numberAt(object, amountPath);
  const currency = stringAt(object, currencyPath);
  return amount === undefined || currency === undefined || !Number.isSafeInteger(amount) ? undefined : formatMoney(amount, currency);
}
