const SYMBOLS: Record<string, string> = { usd: '$', eur: '€', gbp: '£' };
// ISO currencies without minor units, as Stripe lists them: 500 JPY is 500 yen, not 5.00.
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const TWO_DECIMALS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const NO_DECIMALS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** An amount in minor units: `9999, 'usd'` -> `$99.99`, `4200, 'chf'` -> `42.00 CHF`. */
export function formatMoney(minorUnits: number, currency: string): string {
  const code = currency.toLowerCase();
  const whole = ZERO_DECIMAL.has(code);
  const digits = (whole ? NO_DECIMALS : TWO_DECIMALS).format(Math.abs(whole ? minorUnits : minorUnits / 100));
  const sign = minorUnits < 0 ? '-' : '';
  const symbol = SYMBOLS[code];
  return symbol === undefined ? `${sign}${digits} ${currency.toUpperCase()}` : `${sign}${symbol}${digits}`;
}
