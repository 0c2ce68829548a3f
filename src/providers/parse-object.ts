import type { JsonObject } from './provider.ts';

/** The text as a JSON object; undefined for anything else (arrays, scalars, bad JSON). */
export function parseObject(text: string): JsonObject | undefined {
  const value = parseJson(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** The text as a JSON array (a batch of events); undefined for anything else. */
export function parseArray(text: string): unknown[] | undefined {
  const value = parseJson(text);
  return Array.isArray(value) ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
