import { prettyJson } from '../src/notify/pretty-json.ts';
import { PREVIEW_MAX_CHARS } from '../src/notify/build-notification.ts';

const ROUNDS = 10;

/** Mean milliseconds of `work` over ROUNDS, after two warm-up calls. */
function timeOf(work: () => unknown): number {
  work();
  work();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) work();
  return Number(process.hrtime.bigint() - started) / 1e6 / ROUNDS;
}

/**
 * The notification preview's JSON printing (iterative, prints only the preview, measures the rest)
 * against the native `JSON.stringify(value, null, 2)` it replaced, on a 1.6 MB body; and on nested
 * arrays, where the native one overflows its call stack.
 */
export function runPreviewSpeed(): boolean {
  const wide = JSON.parse(JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ i, name: `item ${i}`, tags: ['a', 'b'], nested: { x: i * 1.5, ok: true } })) })) as unknown;
  const native = timeOf(() => JSON.stringify(wide, null, 2).length);
  const ours = timeOf(() => prettyJson(wide, PREVIEW_MAX_CHARS).length);
  console.log(`\nJSON preview of a 1.6 MB body (${ROUNDS} rounds)`);
  console.log(`  JSON.stringify(value, null, 2): ${native.toFixed(1)} ms`);
  console.log(`  prettyJson:                     ${ours.toFixed(1)} ms  (${(ours / native).toFixed(1)}x)`);
  for (const depth of [5_000, 200_000]) {
    const nested = JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
    console.log(`  prettyJson, ${depth.toLocaleString('en')} nested arrays: ${timeOf(() => prettyJson(nested, PREVIEW_MAX_CHARS)).toFixed(1)} ms (JSON.stringify: RangeError)`);
  }
  return true;
}
