import type { JsonObject } from './provider.ts';

const INDEX = /^\d+$/;

/** The value at a dotted path (`data.object.amount`, `pages.0.title`) of parsed JSON; undefined on any missing step. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    // Arrays are entered only by a numeric step, so `length` is never read as data. Paths are ours,
    // never the sender's, so an object step needs no own-key check.
    if (Array.isArray(current)) current = INDEX.test(key) ? current[Number(key)] : undefined;
    else current = (current as JsonObject)[key];
  }
  return current;
}

export function stringAt(value: unknown, path: string): string | undefined {
  const found = valueAt(value, path);
  return typeof found === 'string' && found !== '' ? found : undefined;
}

export function numberAt(value: unknown, path: string): number | undefined {
  const found = valueAt(value, path);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

export function recordAt(value: unknown, path: string): JsonObject | undefined {
  const found = valueAt(value, path);
  return typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as JsonObject) : undefined;
}

/** The first non-empty string among the paths. */
export function firstString(value: unknown, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const found = stringAt(value, path);
    if (found !== undefined) return found;
  }
  return undefined;
}
