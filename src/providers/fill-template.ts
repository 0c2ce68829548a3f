import { firstString, numberAt } from './json-fields.ts';
import { oneLine } from './one-line.ts';

/** One value in a line stays short so that the facts after it still fit. */
const VALUE_MAX = 60;
const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * `'#{issue.number} {issue.title}'` filled from a payload. A placeholder lists alternatives
 * (`{a.conclusion|a.status}`) and may cut its value (`{sha:7}`). Undefined when every placeholder is
 * missing (a template without any is itself), so a fact about an absent field disappears instead of printing its label alone.
 */
export function fillTemplate(template: string, body: unknown): string | undefined {
  let found = false;
  const text = template.replace(PLACEHOLDER, (_whole, spec: string) => {
    const value = placeholderValue(spec, body);
    if (value !== undefined) found = true;
    return value ?? '';
  });
  return found || !template.includes('{') ? text.replace(/ {2,}/g, ' ').trim() : undefined;
}

function placeholderValue(spec: string, body: unknown): string | undefined {
  const [paths = '', cut] = spec.split(':');
  for (const path of paths.split('|')) {
    const number = numberAt(body, path);
    const value = number === undefined ? firstString(body, [path]) : String(number);
    // `:7` is a plain prefix, as commit ids are shortened; anything else is cut with an ellipsis.
    if (value !== undefined) return cut === undefined ? oneLine(value, VALUE_MAX) : oneLine(value, VALUE_MAX).slice(0, Number(cut));
  }
  return undefined;
}
