import { formatMoney } from './format-money.ts';
import { firstString, numberAt, recordAt, stringAt, valueAt } from './json-fields.ts';
import { oneLine } from './one-line.ts';

/** The most changes one line names; the rest are counted. */
const CHANGES_MAX = 3;
const VALUE_MAX = 30;
const MONEY = /^amount|_amount$|^total$|^subtotal$/;

/** A subscription's plan and quantity live in nested objects; these are the fields read from each. */
const NESTED: Readonly<Record<string, ReadonlyArray<readonly [string, readonly string[]]>>> = {
  items: [
    ['plan', ['items.data.0.price.nickname', 'items.data.0.price.id']],
    ['quantity', ['items.data.0.quantity']],
  ],
  plan: [['plan', ['plan.nickname', 'plan.id']]],
};

/**
 * What a `*.updated` event changed, from `data.previous_attributes` against `data.object`:
 * `status past_due → active, quantity 1 → 3`. Scalars and known nested fields are said with
 * their values; any other change by its name only.
 */
export function stripeChanges(data: unknown): string | undefined {
  const previous = recordAt(data, 'previous_attributes');
  const object = recordAt(data, 'object');
  if (!previous || !object) return undefined;
  const said = Object.keys(previous).flatMap((key) => changesOf(key, previous, object));
  if (said.length === 0) return undefined;
  const more = said.length > CHANGES_MAX ? ` and ${said.length - CHANGES_MAX} more` : '';
  return `changed ${said.slice(0, CHANGES_MAX).join(', ')}${more}`;
}

function changesOf(key: string, previous: object, object: object): string[] {
  const nested = Object.hasOwn(NESTED, key) ? NESTED[key] : undefined;
  if (nested) {
    const said = nested.flatMap(([label, paths]) => {
      const before = nestedText(previous, paths);
      const after = nestedText(object, paths) ?? 'none';
      // Stripe sends a whole item back when only one of its fields changed.
      return before === undefined || before === after ? [] : [`${label} ${before} → ${after}`];
    });
    return said.length > 0 ? said : [key];
  }
  const before = scalarText(key, previous, object);
  const after = scalarText(key, object, object);
  const name = oneLine(key, VALUE_MAX);
  return [before === undefined || after === undefined ? name : `${name} ${before} → ${after}`];
}

function nestedText(holder: object, paths: readonly string[]): string | undefined {
  const text = firstString(holder, paths) ?? paths.map((path) => numberAt(holder, path)).find((value) => value !== undefined)?.toString();
  return text === undefined ? undefined : oneLine(text, VALUE_MAX);
}

/** A scalar as a person reads it: money formatted, null as "none"; objects and arrays not at all. */
function scalarText(key: string, holder: object, object: object): string | undefined {
  const value = valueAt(holder, key);
  const currency = stringAt(object, 'currency');
  if (typeof value === 'number' && MONEY.test(key) && currency !== undefined && Number.isSafeInteger(value)) return formatMoney(value, currency);
  if (value === null) return 'none';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return oneLine(String(value), VALUE_MAX);
  return undefined;
}
