/** The start of `JSON.stringify(value, null, 2)`, and how long the whole would be. */
export interface PrettyJson {
  /** At most `maxChars` characters (a surrogate pair is never split). */
  text: string;
  length: number;
}

/** A value to print, or the line break (and comma, key) before an entry, or a closing bracket. */
type Frame =
  | { kind: 'value'; value: unknown; depth: number }
  | { kind: 'entry'; first: boolean; key: string | undefined; depth: number }
  | { kind: 'close'; bracket: string; depth: number };

/**
 * `JSON.stringify(value, null, 2)` for parsed JSON, walked with a stack of its own instead of the call
 * stack: a stranger's `[[[[…]]]]` 5,000 deep overflows the native one (a RangeError), and its indented
 * form runs to tens of megabytes, so only the first `maxChars` are kept while the length is counted
 * (indentation is counted, not built, past the budget).
 */
export function prettyJson(value: unknown, maxChars: number): PrettyJson {
  let text = '';
  let length = 0;
  const emit = (part: string) => {
    if (text.length < maxChars) text += part.slice(0, maxChars - text.length);
    length += part.length;
  };
  const newline = (depth: number) => {
    if (text.length < maxChars) text += ('\n' + '  '.repeat(Math.min(depth, maxChars))).slice(0, maxChars - text.length);
    length += 1 + 2 * depth;
  };
  const stack: Frame[] = [{ kind: 'value', value, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.kind === 'close') {
      newline(frame.depth);
      emit(frame.bracket);
    } else if (frame.kind === 'entry') {
      if (!frame.first) emit(',');
      newline(frame.depth);
      if (frame.key !== undefined) emit(`${JSON.stringify(frame.key)}: `);
    } else {
      const entries = containerEntries(frame.value);
      if (!entries) {
        emit(JSON.stringify(frame.value) ?? 'null');
        continue;
      }
      const [open, close] = Array.isArray(frame.value) ? ['[', ']'] : ['{', '}'];
      emit(open);
      if (entries.length === 0) {
        emit(close);
        continue;
      }
      // Pushed in reverse, so they pop in order: each entry's line and key, its value, and the close last.
      stack.push({ kind: 'close', bracket: close, depth: frame.depth });
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push({ kind: 'value', value: child, depth: frame.depth + 1 });
        stack.push({ kind: 'entry', first: i === 0, key, depth: frame.depth + 1 });
      }
    }
  }
  return { text: /[\uD800-\uDBFF]$/.test(text) && length > text.length ? text.slice(0, -1) : text, length };
}

/** An array's items or an object's properties (as JSON.stringify lists them), else undefined. */
function containerEntries(value: unknown): Array<[string | undefined, unknown]> | undefined {
  if (Array.isArray(value)) return value.map((item): [undefined, unknown] => [undefined, item]);
  if (typeof value === 'object' && value !== null) return Object.entries(value);
  return undefined;
}
