import { z } from 'zod';
import { type Delivery } from '../domain/delivery.ts';
import { viewBody } from '../notify/body-view.ts';
import { searchWordsText } from './search-words.ts';

/** Bodies larger than this are searched by the words of their start only, never by JSON path. */
export const FIND_BODY_LIMIT = 64 * 1024;
/** The searchable words kept per delivery, in characters. */
export const FIND_TEXT_LIMIT = 8 * 1024;
/** JSON deeper than this keeps its words but not its structure (path terms do not match it). */
export const FIND_JSON_DEPTH = 32;
/**
 * Between the words of two values, so a phrase never matches across them: no word (searchWords keeps
 * letters and digits only), and a word of its own to the words index (its tokenizer splits at ASCII only).
 */
const VALUE_BREAK = '¦';

/** One relay of a delivery (to one target): where it stands, and its last try's status and answer time when it got an answer. */
export const relayMarkSchema = z.object({ s: z.enum(['pending', 'delivered', 'failed']), c: z.number().optional(), ms: z.number().optional() });
export type RelayMark = z.infer<typeof relayMarkSchema>;

/**
 * What `find` looks at, stored beside each delivery: `j` the parsed JSON (or form) body, or `b` where the
 * store reads a JSON body in place (KeyValueStore `searchesBodies`), `e`, `p` and
 * `s` the event, provider and signature. Of an endpoint that forwards, `r` holds each target's relay
 * (the forwarding worker rewrites the entry as they settle), and `f` and `h` are what `status:`
 * compares, derived from `r` (markRelays). The body's words are the entry's words in the store
 * (WriteOp `words`), not a field; `t` holds them in entries stored before.
 */
export const findEntrySchema = z.object({
  t: z.string().optional(),
  e: z.string().optional(),
  p: z.string().optional(),
  s: z.string().optional(),
  j: z.unknown().optional(),
  b: z.literal(true).optional(),
  r: z.record(z.string(), relayMarkSchema).optional(),
  f: z.string().optional(),
  h: z.string().optional(),
});
export type FindEntry = z.infer<typeof findEntrySchema>;

/**
 * The delivery's find entry, and its words: the body's values as words, one space apart and padded
 * (so ` word ` finds whole words and phrases, as the store's `words` condition does).
 */
export function findEntryFor(delivery: Delivery, bodySearched: boolean): { entry: FindEntry; words: string } {
  const { t, j, fromJson } = delivery.size > FIND_BODY_LIMIT ? { t: startWords(delivery) } : bodyWords(delivery);
  const analysis = delivery.analysis;
  const entry = {
    ...(j === undefined ? {} : bodySearched && fromJson && !startsWithBom(delivery) ? { b: true as const } : { j }),
    ...(analysis?.event ? { e: analysis.event } : {}),
    ...(analysis ? { p: analysis.provider, s: analysis.signature.status } : {}),
  };
  return { entry, words: t };
}

/** The body's words, and the JSON path terms compare (`fromJson`: the body's own, which the store can read in place). */
function bodyWords(delivery: Delivery): { t: string; j?: unknown; fromJson?: boolean } {
  const view = viewBody(delivery);
  switch (view.kind) {
    case 'json':
      return { t: padded(leafValues(view.value)), ...(depthOf(view.value) <= FIND_JSON_DEPTH ? { j: view.value, fromJson: true } : {}) };
    case 'form':
      return { t: padded(view.fields.map(([, value]) => value)), j: Object.fromEntries(view.fields) };
    case 'invalid-json':
    case 'text':
      return { t: padded([view.text]) };
    default:
      return { t: ' ' };
  }
}

/** A UTF-8 byte order mark: the body's text was read without it (TextDecoder), SQLite's JSON would refuse it. */
const startsWithBom = (delivery: Delivery) => delivery.body.startsWith('77u/');

function startWords(delivery: Delivery): string {
  return padded([Buffer.from(delivery.body, 'base64').subarray(0, FIND_BODY_LIMIT).toString('utf8')]);
}

function padded(values: string[]): string {
  const joined = values.map(searchWordsText).filter(Boolean).join(` ${VALUE_BREAK} `);
  return ` ${joined.slice(0, FIND_TEXT_LIMIT)} `;
}

/** Strings, numbers and booleans of a JSON value, walked without recursion (a stranger chooses the depth). */
function leafValues(root: unknown): string[] {
  const out: string[] = [];
  const stack = [root];
  let chars = 0;
  while (stack.length > 0 && chars < FIND_TEXT_LIMIT) {
    const value = stack.pop();
    if (value !== null && typeof value === 'object') stack.push(...Object.values(value).reverse());
    else if (value !== null && value !== undefined) {
      const text = String(value);
      out.push(text);
      chars += text.length + 1;
    }
  }
  return out;
}

function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > FIND_JSON_DEPTH) return deepest;
    if (value !== null && typeof value === 'object') for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
