import { cutText } from '../domain/truncate.ts';

// Line breaks, control and bidi-override characters: a summary must read as one honest line.
const UNSAFE = /[\s\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+/g;

/** Plain text on one line, cut at `maxChars` with a visible ellipsis. */
export function oneLine(text: string, maxChars: number): string {
  const flat = text.replace(UNSAFE, ' ').trim();
  return flat.length <= maxChars ? flat : `${cutText(flat, maxChars - 1)}…`;
}

/** Non-empty parts joined with ` · `, or undefined when none is left. */
export function joinParts(...parts: Array<string | undefined | false>): string | undefined {
  const kept = parts.filter((part): part is string => typeof part === 'string' && part !== '');
  return kept.length > 0 ? kept.join(' · ') : undefined;
}
