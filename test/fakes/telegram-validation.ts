/** Telegram's checks on message text/captions and inline keyboards, with the Bot API's error strings. */
import { pngHeader } from '../helpers/png-header.ts';
import { parseTelegramHtml, type TelegramEntity } from './telegram-html.ts';
import { badRequest, type InlineKeyboardMarkup } from './telegram-types.ts';

/** Telegram's whitespace trimming of a formatted text, keeping entity offsets right (UTF-16 units). */
function trimFormatted(text: string, entities: TelegramEntity[]) {
  const lead = /^\s*/.exec(text)?.[0].length ?? 0;
  const trimmed = text.slice(lead).trimEnd();
  const kept = entities
    .map((e) => {
      const start = Math.max(0, e.offset - lead);
      const end = Math.min(trimmed.length, e.offset + e.length - lead);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { text: trimmed, entities: kept };
}

export interface FormattedText {
  /** Plain text after parsing and trimming. */
  text: string;
  entities: TelegramEntity[];
  /** The text as sent. */
  raw: string;
  parseMode: string | undefined;
}

/**
 * Parses `text`/`caption` per parse_mode, then applies Telegram's trimming, emptiness and length checks
 * (length in UTF-16 code units, like entity offsets). Markdown modes are accepted unparsed: only HTML is modelled.
 */
export function formatted(
  raw: unknown,
  parseMode: unknown,
  limits: { max: number; tooLong: string; allowEmpty: boolean; strictAmpersand: boolean },
): FormattedText {
  const input = raw === undefined || raw === null ? '' : String(raw);
  let parsed: { text: string; entities: TelegramEntity[] } = { text: input, entities: [] };
  const mode = parseMode === undefined || parseMode === null ? '' : String(parseMode).toLowerCase();
  if (mode === 'html') {
    const result = parseTelegramHtml(input, { strictAmpersand: limits.strictAmpersand });
    if ('error' in result) throw badRequest(`can't parse entities: ${result.error}`);
    parsed = result;
  } else if (mode !== '' && mode !== 'markdown' && mode !== 'markdownv2') {
    throw badRequest('unsupported parse_mode');
  }
  const result = trimFormatted(parsed.text, parsed.entities);
  if (!limits.allowEmpty && result.text === '') throw badRequest('message text is empty');
  if (result.text.length > limits.max) throw badRequest(limits.tooLong);
  return { ...result, raw: input, parseMode: mode === '' ? undefined : String(parseMode) };
}

const BUTTON_ACTIONS = [
  'callback_data', 'url', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay',
];

/** Checks an inline keyboard like the Bot API does; other markups (reply keyboards...) pass unchecked. */
export function inlineMarkup(value: unknown): InlineKeyboardMarkup | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  const keyboard = (value as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard === undefined) return undefined;
  if (!Array.isArray(keyboard) || !keyboard.every((row) => Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  for (const button of (keyboard as unknown[][]).flat()) {
    if (typeof button !== 'object' || button === null) {
      throw badRequest("can't parse inline keyboard button: InlineKeyboardButton should be an Object");
    }
    const b = button as Record<string, unknown>;
    if (typeof b.text !== 'string') {
      throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
    }
    if (!BUTTON_ACTIONS.some((field) => b[field] !== undefined)) {
      throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    }
    if (b.callback_data !== undefined) {
      const bytes = Buffer.byteLength(String(b.callback_data), 'utf8');
      if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
    }
  }
  return value as InlineKeyboardMarkup;
}

const MIME_TYPES: Record<string, string> = {
  json: 'application/json', txt: 'text/plain', log: 'text/plain', csv: 'text/csv', xml: 'application/xml',
  html: 'text/html', pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', png: 'image/png', jpg: 'image/jpeg',
};

/** The mime_type Telegram would report for an uploaded document, from its file name. */
export function mimeTypeOf(filename: string): string {
  return MIME_TYPES[filename.toLowerCase().split('.').pop() ?? ''] ?? 'application/octet-stream';
}

/** Width and height of a PNG (its IHDR) or JPEG (its first SOF marker), or undefined when it is neither. */
export function imageSize(data: Buffer): { width: number; height: number } | undefined {
  const png = pngHeader(data);
  if (png) return png;
  if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  for (let at = 2; at + 9 < data.length; at += 2 + data.readUInt16BE(at + 2)) {
    if (data[at] !== 0xff) return undefined;
    if (data[at + 1]! >= 0xc0 && data[at + 1]! <= 0xc3) return { width: data.readUInt16BE(at + 7), height: data.readUInt16BE(at + 5) };
  }
  return undefined;
}
