/**
 * Telegram's `parse_mode: "HTML"` parser, ported from tdlib's `do_parse_html` (td/telegram/MessageEntity.cpp),
 * which is what the Bot API server runs. It works on the UTF-8 bytes so the error messages carry the same
 * byte offsets Telegram reports, e.g. `Unsupported start tag "script" at byte offset 12`.
 *
 * Faithful details worth knowing:
 * - only &lt; &gt; &amp; &quot; and numeric references are decoded (the `;` is optional);
 * - any other `&` (a bare one, `&nbsp;`) is NOT an error in Telegram: it stays literally in the text.
 *   `{ strictAmpersand: true }` turns it into an error (a fake-only check, labelled as such) for tests that
 *   want to prove every `&` was escaped;
 * - `a < b` fails with `Unsupported start tag "" at byte offset 2`, `x<5` with `Unsupported start tag "5" ...`.
 * Entity offsets/lengths are UTF-16 code units, as in the Bot API.
 */

export interface TelegramEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export type HtmlParseResult = { text: string; entities: TelegramEntity[] } | { error: string };

export interface HtmlParseOptions {
  /** Reject a `&` that does not start a supported reference. Telegram itself accepts it. */
  strictAmpersand?: boolean;
}

const SUPPORTED_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'span', 'pre', 'code', 'blockquote',
]);

const SIMPLE_TAGS: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
};

const NAMED_REFERENCES: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };

class HtmlError extends Error {}

interface OpenTag {
  tag: string;
  argument: string;
  utf16Offset: number;
  resultPos: number;
}

// tdlib's is_space counts NUL, which is how its loops stop at the end of the C string.
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x00 || c === 0x0b;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isHex = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
const lower = (bytes: Buffer, from: number, to: number) => bytes.subarray(from, to).toString('utf8').toLowerCase();

/** tdlib's decode_html_entity: the code point and where it ends, or undefined (then `&` is literal). */
function decodeReference(t: Buffer, pos: number): { code: number; end: number } | undefined {
  const at = (i: number) => (i < t.length ? (t[i] as number) : 0);
  let end = pos + 1;
  let code = 0;
  if (at(pos + 1) === 0x23 /* # */) {
    end++;
    if (at(pos + 2) === 0x78 /* x */) {
      end++;
      while (isHex(at(end))) code = code * 16 + parseInt(String.fromCharCode(at(end++)), 16);
    } else {
      while (isDigit(at(end))) code = code * 10 + (at(end++) - 0x30);
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (isAlpha(at(end))) end++;
    const named = NAMED_REFERENCES[t.subarray(pos + 1, end).toString('latin1')];
    if (named === undefined) return undefined;
    code = named;
  }
  return { code, end: at(end) === 0x3b /* ; */ ? end + 1 : end };
}

/** UTF-8 bytes of a code point; lone surrogates are encoded as-is (CESU) so they can be detected later. */
function utf8Bytes(code: number): number[] {
  if (code < 0x80) return [code];
  if (code < 0x800) return [0xc0 | (code >> 6), 0x80 | (code & 0x3f)];
  if (code < 0x10000) return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
  return [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
}

export function parseTelegramHtml(html: string, options: HtmlParseOptions = {}): HtmlParseResult {
  try {
    return parse(Buffer.from(html, 'utf8'), options);
  } catch (error) {
    if (error instanceof HtmlError) return { error: error.message };
    throw error;
  }
}

function parse(t: Buffer, options: HtmlParseOptions): { text: string; entities: TelegramEntity[] } {
  const at = (i: number) => (i < t.length ? (t[i] as number) : 0);
  const result: number[] = [];
  const entities: TelegramEntity[] = [];
  const nested: OpenTag[] = [];
  let utf16 = 0;
  let decodedSurrogate = false;

  for (let i = 0; i < t.length; i++) {
    const c = at(i);
    if (c === 0x26 /* & */) {
      const ref = decodeReference(t, i);
      if (ref) {
        result.push(...utf8Bytes(ref.code));
        utf16 += ref.code > 0xffff ? 2 : 1;
        decodedSurrogate ||= ref.code >= 0xd800 && ref.code <= 0xdfff;
        i = ref.end - 1;
        continue;
      }
      if (options.strictAmpersand) {
        throw new HtmlError(`Unescaped "&" at byte offset ${i} (fake strict mode; real Telegram keeps it as text)`);
      }
    }
    if (c !== 0x3c /* < */) {
      if ((c & 0xc0) !== 0x80) utf16 += c >= 0xf0 ? 2 : 1;
      result.push(c);
      continue;
    }

    const begin = i++;
    if (at(i) !== 0x2f /* / */) {
      const open = startTag(t, begin, i);
      i = open.end;
      nested.push({ tag: open.tag, argument: open.argument, utf16Offset: utf16, resultPos: result.length });
      continue;
    }

    // An end tag.
    if (nested.length === 0) throw new HtmlError(`Unexpected end tag at byte offset ${begin}`);
    while (!isSpace(at(i)) && at(i) !== 0x3e) i++;
    const endTag = lower(t, begin + 2, i);
    while (isSpace(at(i)) && at(i) !== 0) i++;
    if (at(i) !== 0x3e /* > */) throw new HtmlError(`Unclosed end tag at byte offset ${begin}`);
    const open = nested[nested.length - 1] as OpenTag;
    if (endTag !== '' && endTag !== open.tag) {
      throw new HtmlError(
        `Unmatched end tag at byte offset ${begin}, expected "</${open.tag}>", found "</${endTag}>"`,
      );
    }
    if (utf16 > open.utf16Offset) addEntity(entities, open, utf16 - open.utf16Offset, result);
    nested.pop();
  }

  const unclosed = nested[nested.length - 1];
  if (unclosed) throw new HtmlError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  if (decodedSurrogate) {
    throw new HtmlError(
      'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units',
    );
  }
  for (const entity of entities) if (entity.type === 'code') delete entity.language;
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: Buffer.from(result).toString('utf8'), entities };
}

/** Reads a start tag whose `<` is at `begin` and name starts at `i`; returns where its `>` is. */
function startTag(t: Buffer, begin: number, i: number): { tag: string; argument: string; end: number } {
  const at = (k: number) => (k < t.length ? (t[k] as number) : 0);
  while (!isSpace(at(i)) && at(i) !== 0x3e) i++;
  if (at(i) === 0) throw new HtmlError(`Unclosed start tag at byte offset ${begin}`);
  const tag = lower(t, begin + 1, i);
  if (!SUPPORTED_TAGS.has(tag)) throw new HtmlError(`Unsupported start tag "${tag}" at byte offset ${begin}`);

  let argument = '';
  while (at(i) !== 0x3e) {
    while (at(i) !== 0 && isSpace(at(i))) i++;
    if (at(i) === 0x3e) break;
    const nameBegin = i;
    while (!isSpace(at(i)) && ![0x3d, 0x3e, 0x2f, 0x22, 0x27].includes(at(i))) i++; // = > / " '
    const attribute = t.subarray(nameBegin, i).toString('utf8');
    if (attribute === '') throw new HtmlError(`Empty attribute name in the tag "${tag}" at byte offset ${begin}`);
    while (at(i) !== 0 && isSpace(at(i))) i++;
    if (at(i) !== 0x3d /* = */) {
      if (at(i) === 0) throw new HtmlError(`Unclosed start tag "${tag}" at byte offset ${begin}`);
      if (tag === 'blockquote' && attribute === 'expandable') argument = '1';
      continue;
    }
    i++;
    while (at(i) !== 0 && isSpace(at(i))) i++;
    if (at(i) === 0) throw new HtmlError(`Unclosed start tag "${tag}" at byte offset ${begin}`);

    let value: string;
    if (at(i) !== 0x22 && at(i) !== 0x27) {
      // A name token: letters, digits, periods, hyphens; case-insensitive.
      const tokenBegin = i;
      while (isAlpha(at(i)) || isDigit(at(i)) || at(i) === 0x2e || at(i) === 0x2d) i++;
      if (!isSpace(at(i)) && at(i) !== 0x3e) {
        throw new HtmlError(`Unexpected end of name token at byte offset ${tokenBegin}`);
      }
      value = lower(t, tokenBegin, i);
    } else {
      const quote = at(i++);
      const bytes: number[] = [];
      while (at(i) !== quote && at(i) !== 0) {
        const ref = at(i) === 0x26 ? decodeReference(t, i) : undefined;
        if (ref) {
          bytes.push(...utf8Bytes(ref.code));
          i = ref.end;
        } else {
          bytes.push(at(i++));
        }
      }
      if (at(i) === quote) i++;
      value = Buffer.from(bytes).toString('utf8');
    }
    if (at(i) === 0) throw new HtmlError(`Unclosed start tag at byte offset ${begin}`);

    if ((tag === 'a' && attribute === 'href') || (tag === 'tg-emoji' && attribute === 'emoji-id')) argument = value;
    else if (tag === 'code' && attribute === 'class' && value.startsWith('language-')) argument = value.slice(9);
    else if (tag === 'span' && attribute === 'class' && value.startsWith('tg-')) argument = value.slice(3);
    else if (tag === 'blockquote' && attribute === 'expandable') argument = '1';
  }
  if (tag === 'span' && argument !== 'spoiler') {
    throw new HtmlError(`Tag "span" must have class "tg-spoiler" at byte offset ${begin}`);
  }
  return { tag, argument, end: i };
}

function addEntity(entities: TelegramEntity[], open: OpenTag, length: number, result: number[]): void {
  const offset = open.utf16Offset;
  const last = entities[entities.length - 1];
  const sameSpan = last !== undefined && last.offset === offset && last.length === length;
  const simple = SIMPLE_TAGS[open.tag];
  if (simple) {
    entities.push({ type: simple, offset, length });
  } else if (open.tag === 'tg-emoji') {
    if (!/^\d{1,19}$/.test(open.argument) || BigInt(open.argument) === 0n) {
      throw new HtmlError('Invalid custom emoji identifier specified');
    }
    entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: open.argument });
  } else if (open.tag === 'a') {
    const url = open.argument || Buffer.from(result.slice(open.resultPos)).toString('utf8');
    if (url !== '') entities.push({ type: 'text_link', offset, length, url });
  } else if (open.tag === 'pre') {
    if (last && sameSpan && last.type === 'code' && last.language) last.type = 'pre';
    else entities.push({ type: 'pre', offset, length });
  } else if (open.tag === 'code') {
    if (last && sameSpan && last.type === 'pre' && open.argument) last.language = open.argument;
    else entities.push({ type: 'code', offset, length, ...(open.argument ? { language: open.argument } : {}) });
  } else if (open.tag === 'blockquote') {
    entities.push({ type: open.argument ? 'expandable_blockquote' : 'blockquote', offset, length });
  }
}
