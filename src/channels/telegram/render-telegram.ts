import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { escapeHtml } from '../../domain/escape-html.ts';
import type { Message } from '../../domain/message.ts';
import { truncateCode, truncationNote } from '../../domain/truncate.ts';
import { encodeAction } from '../button-action.ts';
import { TONE_ICON } from '../tone-icon.ts';

/** Bot API limits, counted on the text after HTML parsing. */
export const TEXT_MAX = 4096;
export const CAPTION_MAX = 1024;
export const CALLBACK_DATA_MAX_BYTES = 64;
const BUTTONS_PER_ROW = 3;

export interface TelegramOutput {
  html: string;
  keyboard?: InlineKeyboardMarkup;
  /** Set when the whole content goes as a file; `html` is then its caption. */
  document?: { filename: string; bytes: Buffer };
  /** Set when the message has a picture (a chart): sent as a photo, `html` its caption. */
  photo?: { filename: string; bytes: Buffer };
}

/** One piece of the message: its markup and how long it is once Telegram has parsed it. */
interface Part {
  html: string;
  plainLength: number;
}

const text = (plain: string, wrap: (escaped: string) => string = (s) => s): Part => ({ html: wrap(escapeHtml(plain)), plainLength: plain.length });

/** A Message as Telegram HTML within the Bot API's limits, cut visibly where it must be. */
export function renderTelegram(message: Message): TelegramOutput {
  const head: Part[] = [text(`${message.tone ? `${TONE_ICON[message.tone]} ` : ''}${message.title}`, (s) => `<b>${s}</b>`)];
  for (const line of message.lines ?? []) head.push(text(line));
  for (const field of message.fields ?? []) head.push(joinParts(text(`${field.label}:`, (s) => `<b>${s}</b>`), text(` ${field.value}`)));
  const keyboard = renderKeyboard(message);
  const attachment = message.attachment;

  // The picture shows what the code block would (a chart's bars), and a caption holds 1,024 characters.
  if (message.image) return { html: fit(head, CAPTION_MAX), photo: { filename: message.image.filename, bytes: message.image.png }, ...(keyboard ? { keyboard } : {}) };
  if (attachment?.when === 'always') return { html: fit(head, CAPTION_MAX), document: attachment, ...(keyboard ? { keyboard } : {}) };
  if (!message.code) return { html: fit(head, TEXT_MAX), ...(keyboard ? { keyboard } : {}) };

  const headHtml = fit(head, TEXT_MAX - 200);
  const headLength = plainLengthOf(head, TEXT_MAX - 200);
  const budget = TEXT_MAX - headLength - 2 - 80; // two newlines, and room for the truncation note
  const code = truncateCode(message.code, budget);
  if (code.fullLength !== undefined && attachment?.when === 'overflow') {
    return { html: fit([...head, text('The whole content is in the attached file.', (s) => `<i>${s}</i>`)], CAPTION_MAX), document: attachment, ...(keyboard ? { keyboard } : {}) };
  }
  const note = truncationNote(code);
  const codeHtml = `<pre><code class="language-${code.language}">${escapeHtml(code.content)}</code></pre>`;
  return { html: [headHtml, codeHtml, ...(note ? [`<i>${escapeHtml(note)}</i>`] : [])].join('\n'), ...(keyboard ? { keyboard } : {}) };
}

function joinParts(a: Part, b: Part): Part {
  return { html: a.html + b.html, plainLength: a.plainLength + b.plainLength };
}

/** Parts joined by newlines, stopping with a visible marker before `max` characters. */
function fit(parts: Part[], max: number): string {
  return takeParts(parts, max).map((part) => part.html).join('\n');
}

function plainLengthOf(parts: Part[], max: number): number {
  return takeParts(parts, max).reduce((sum, part) => sum + part.plainLength + 1, 0);
}

function takeParts(parts: Part[], max: number): Part[] {
  const marker = text('… (more not shown)', (s) => `<i>${s}</i>`);
  const taken: Part[] = [];
  let used = 0;
  for (const part of parts) {
    if (used + part.plainLength + 1 > max - marker.plainLength - 1) return [...taken, marker];
    taken.push(part);
    used += part.plainLength + 1;
  }
  return taken;
}

function renderKeyboard(message: Message): InlineKeyboardMarkup | undefined {
  const buttons: InlineKeyboardButton[] = (message.buttons ?? [])
    .map((button) => ({ text: button.label, callback_data: encodeAction(button.action) }))
    .filter((button) => Buffer.byteLength(button.callback_data) <= CALLBACK_DATA_MAX_BYTES);
  if (buttons.length === 0) return undefined;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) rows.push(buttons.slice(i, i + BUTTONS_PER_ROW));
  return { inline_keyboard: rows };
}
