import type { JsonObject } from './provider.ts';

/** The text as a JSON object; undefined for anything else (arrays, scalars, bad JSON). */
export function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
