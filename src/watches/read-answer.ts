/** Deeper JSON is compared as text: the diff walks recursively, and a stranger picks the depth. */
export const MAX_JSON_DEPTH = 64;

export type Answer = { kind: 'json'; value: unknown } | { kind: 'text'; text: string };

/** An API's answer as something to compare: JSON when it parses (and is not too deep), else text. */
export function readAnswer(bytes: Buffer): Answer {
  const text = bytes.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && depthOf(value) <= MAX_JSON_DEPTH) return { kind: 'json', value };
  } catch {
    // Not JSON: compared line by line.
  }
  return { kind: 'text', text };
}

/** Iterative, so the measuring itself cannot overflow the stack. */
function depthOf(root: object): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_JSON_DEPTH) return depth;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
