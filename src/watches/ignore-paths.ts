/** A JSON path as typed: `updated_at`, `data.meta.seen`, `items[2]`, `items[*].ts` (`*` any key or index). */
export type PathSegment = string | number;

const SEGMENT = /([^.[\]]+)|\[(\d+|\*)\]/g;
export const IGNORE_PATH_PATTERN = /^[^.[\]\s]+(?:\.[^.[\]\s]+|\[(?:\d+|\*)\])*$/;

export function parsePath(text: string): PathSegment[] {
  return [...text.matchAll(SEGMENT)].map(([, key, index]) => (key !== undefined ? key : index === '*' ? '*' : Number(index)));
}

/** `data.items[3].id`: how a path reads in chat. */
export function formatPath(path: PathSegment[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${key}`)).join('');
}

function matches(pattern: PathSegment[], path: PathSegment[]): boolean {
  return pattern.length === path.length && pattern.every((segment, i) => segment === '*' || segment === path[i] || String(segment) === String(path[i]));
}

/**
 * A copy of `value` without the ignored paths and with object keys sorted, so two answers that differ
 * only there (or in key order) compare equal. Iterative: the depth is already bounded (readAnswer).
 */
export function withoutIgnored(value: unknown, ignore: string[]): unknown {
  const patterns = ignore.map(parsePath);
  const root: { value?: unknown } = {};
  const stack: Array<{ from: unknown; into: Record<string | number, unknown>; key: string | number; path: PathSegment[] }> = [{ from: value, into: root, key: 'value', path: [] }];
  while (stack.length > 0) {
    const { from, into, key, path } = stack.pop()!;
    if (typeof from !== 'object' || from === null) {
      into[key] = from;
      continue;
    }
    const copy = (Array.isArray(from) ? [] : {}) as Record<string | number, unknown>;
    into[key] = copy;
    const entries = Array.isArray(from) ? from.map((item, i) => [i, item] as const) : Object.entries(from).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Pushed last to first, so each copy gets its keys in order.
    for (const [childKey, child] of entries.reverse()) {
      const childPath = [...path, childKey];
      if (patterns.some((pattern) => matches(pattern, childPath))) continue;
      stack.push({ from: child, into: copy, key: childKey, path: childPath });
    }
  }
  return root.value;
}
