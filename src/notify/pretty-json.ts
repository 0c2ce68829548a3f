import { cutText } from '../domain/truncate.ts';

/** The start of `JSON.stringify(value, null, 2)`, and how long the whole would be. */
export interface PrettyJson {
  /** At most `maxChars` characters (a surrogate pair is never split). */
  text: string;
  length: number;
}

/** A value to print, or a container whose entries from `next` on are still to print. */
type Frame = { kind: 'value'; value: unknown; depth: number } | { kind: 'entries'; container: object; keys: string[] | undefined; next: number; depth: number };

/**
 * `JSON.stringify(value, null, 2)` for parsed JSON, without recursion: a stranger's `[[[[…]]]]` 5,000
 * deep overflows the native one's call stack (a RangeError), and its indented form runs to tens of
 * megabytes. So only the first `maxChars` are printed, walking with a stack of its own and opening
 * a container's entries one at a time, and the whole is only measured.
 */
export function prettyJson(value: unknown, maxChars: number): PrettyJson {
  let text = '';
  // One character more than asked, so cutText can tell a cut surrogate pair.
  const emit = (part: string) => (text += part.slice(0, maxChars + 1 - text.length));
  const newline = (depth: number) => emit('\n' + '  '.repeat(Math.min(depth, maxChars)));
  const stack: Frame[] = [{ kind: 'value', value, depth: 0 }];
  while (stack.length > 0 && text.length <= maxChars) {
    const frame = stack.pop()!;
    if (frame.kind === 'value') {
      const current = frame.value;
      if (typeof current !== 'object' || current === null) {
        emit(JSON.stringify(current) ?? 'null');
        continue;
      }
      const keys = Array.isArray(current) ? undefined : Object.keys(current);
      emit(keys ? '{' : '[');
      if ((keys ?? (current as unknown[])).length === 0) emit(keys ? '}' : ']');
      else stack.push({ kind: 'entries', container: current, keys, next: 0, depth: frame.depth });
      continue;
    }
    const { container, keys, next, depth } = frame;
    if (next === (keys ?? (container as unknown[])).length) {
      newline(depth);
      emit(keys ? '}' : ']');
      continue;
    }
    stack.push({ ...frame, next: next + 1 });
    if (next > 0) emit(',');
    newline(depth + 1);
    if (keys) emit(`${JSON.stringify(keys[next])}: `);
    stack.push({ kind: 'value', value: keys ? (container as Record<string, unknown>)[keys[next]!] : (container as unknown[])[next], depth: depth + 1 });
  }
  return { text: cutText(text, maxChars), length: measure(value) };
}

/**
 * How long `JSON.stringify(value, null, 2)` would be, without building it: from the
 * native compact form (a linear scan adds the line breaks and indentation), or, when the native
 * stringify overflows on depth, by a walk of its own.
 */
function measure(value: unknown): number {
  let compact: string;
  try {
    compact = JSON.stringify(value) ?? 'null';
  } catch {
    return walkLength(value);
  }
  let total = compact.length;
  let level = 0;
  for (let i = 0; i < compact.length; i++) {
    const char = compact.charCodeAt(i);
    if (char === QUOTE) {
      // Skip the string: its escapes are already in the compact length.
      for (i++; compact.charCodeAt(i) !== QUOTE; i++) if (compact.charCodeAt(i) === BACKSLASH) i++;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      const next = compact.charCodeAt(i + 1);
      if (next === CLOSE_BRACE || next === CLOSE_BRACKET) i++; // empty: printed as is
      else total += 1 + 2 * ++level;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      total += 1 + 2 * --level;
    } else if (char === COMMA) {
      total += 1 + 2 * level;
    } else if (char === COLON) {
      total += 1;
    }
  }
  return total;
}

// The character codes of '"', '\\', '{', '}', '[', ']', ',' and ':'.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** `measure` for what is too deep for the native stringify (rare and small: a body is at most MAX_BODY_BYTES), one container at a time. */
function walkLength(value: unknown): number {
  let total = 0;
  const stack: Array<{ value: unknown; level: number }> = [{ value, level: 0 }];
  while (stack.length > 0) {
    const { value: current, level } = stack.pop()!;
    if (typeof current !== 'object' || current === null) {
      total += (JSON.stringify(current) ?? 'null').length;
      continue;
    }
    const keys = Array.isArray(current) ? undefined : Object.keys(current);
    const count = (keys ?? (current as unknown[])).length;
    // The brackets; then each entry on a line indented one level more, commas between, and the
    // closing bracket on a line of its own.
    total += count === 0 ? 2 : 2 + count * (3 + 2 * level) + count - 1 + 1 + 2 * level;
    for (let i = 0; i < count; i++) {
      if (keys) total += JSON.stringify(keys[i]).length + 2;
      stack.push({ value: keys ? (current as Record<string, unknown>)[keys[i]!] : (current as unknown[])[i], level: level + 1 });
    }
  }
  return total;
}
