import type { ActionsBlock, Button as SlackButton, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { CodeBlock, Message } from '../../domain/message.ts';
import { cutText, truncationNote } from '../../domain/truncate.ts';
import { encodeAction } from '../button-action.ts';
import { TONE_ICON } from '../tone-icon.ts';

/** Block Kit limits (docs and @slack/types). */
export const SECTION_TEXT_MAX = 3000;
export const HEADER_TEXT_MAX = 150;
export const FIELDS_PER_SECTION = 10;
export const FIELD_TEXT_MAX = 2000;
export const MESSAGE_BLOCKS_MAX = 50;
export const MODAL_BLOCKS_MAX = 100;
export const MODAL_TITLE_MAX = 24;
/** A modal is for reading: beyond about 30 KB of code the whole body goes as a file instead. */
export const MODAL_CODE_SECTIONS_MAX = 10;
const BUTTON_TEXT_MAX = 75;
/** Prefix of our buttons' action ids; the value carries the command. */
export const ACTION_PREFIX = 'hw:';
const FENCE = '```';

/**
 * Slack's three entities. Every mention, channel ping and link is `<…>`, so escaping `<` and `>`
 * defuses them all in untrusted text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Untrusted code inside a fence: escaped, and unable to close the fence early. */
function fenced(content: string): string {
  return `${FENCE}${escapeMrkdwn(content).replaceAll(FENCE, '`\u200b``')}${FENCE}`;
}

const mrkdwn = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text: cutText(text, SECTION_TEXT_MAX) } });

export interface SlackRendering {
  text: string;
  blocks: KnownBlock[];
  /** False when the code block had to be cut to fit. */
  complete: boolean;
}

/**
 * A Message as Block Kit: header, lines, fields, code, truncation note, buttons. In a modal the
 * code may span many sections; in a message it is one section, cut visibly.
 */
export function renderSlack(message: Message, surface: 'message' | 'modal' = 'message'): SlackRendering {
  const title = `${message.tone ? `${TONE_ICON[message.tone]} ` : ''}${message.title}`;
  const head: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: cutText(title, HEADER_TEXT_MAX), emoji: true } } satisfies HeaderBlock];
  if (message.lines?.length) head.push(mrkdwn(escapeMrkdwn(message.lines.join('\n'))));
  const fields = (message.fields ?? []).map((field) => ({ type: 'mrkdwn' as const, text: cutText(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, FIELD_TEXT_MAX) }));
  for (let i = 0; i < fields.length; i += FIELDS_PER_SECTION) head.push({ type: 'section', fields: fields.slice(i, i + FIELDS_PER_SECTION) });

  const tail: KnownBlock[] = [];
  const buttons = renderButtons(message);
  if (buttons) tail.push(buttons);
  const maxBlocks = (surface === 'modal' ? MODAL_BLOCKS_MAX : MESSAGE_BLOCKS_MAX) - tail.length - 1; // one for the note
  const room = maxBlocks - head.length;
  const { blocks: code, complete } = message.code ? renderCode(message.code, surface === 'modal' ? Math.min(room, MODAL_CODE_SECTIONS_MAX) : 1) : { blocks: [], complete: true };
  return { text: escapeMrkdwn(message.title), blocks: [...head.slice(0, maxBlocks), ...code, ...tail], complete };
}

function renderCode(block: CodeBlock, maxSections: number): { blocks: KnownBlock[]; complete: boolean } {
  const perSection = SECTION_TEXT_MAX - 2 * FENCE.length - 10;
  const chunks = chunkEscaped(block.content, perSection, Math.max(1, maxSections));
  const shownLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const shown = shownLength < block.content.length ? { ...block, content: block.content.slice(0, shownLength), fullLength: block.fullLength ?? block.content.length } : block;
  const sections: KnownBlock[] = chunks.map((chunk) => mrkdwn(fenced(chunk)));
  const note = truncationNote(shown);
  if (note) sections.push({ type: 'context', elements: [{ type: 'plain_text', text: note }] } satisfies ContextBlock);
  return { blocks: sections, complete: note === undefined };
}

/** Splits raw text into at most `count` pieces whose escaped (and fenced) form fits `max`. */
function chunkEscaped(content: string, max: number, count: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < content.length && chunks.length < count) {
    let size = 0;
    let end = start;
    while (end < content.length) {
      const char = content[end]!;
      const grow = char === '&' ? 5 : char === '<' || char === '>' ? 4 : char === '`' ? 2 : 1;
      if (size + grow > max) break;
      size += grow;
      end += 1;
    }
    if (/[\uD800-\uDBFF]/.test(content.charAt(end - 1)) && end < content.length) end -= 1; // keep surrogate pairs whole
    chunks.push(content.slice(start, end));
    start = end;
  }
  return chunks;
}

function renderButtons(message: Message): ActionsBlock | undefined {
  if (!message.buttons?.length) return undefined;
  const elements = message.buttons.map(
    (button, index): SlackButton => ({
      type: 'button',
      action_id: `${ACTION_PREFIX}${index}`,
      text: { type: 'plain_text', text: cutText(button.label, BUTTON_TEXT_MAX) },
      value: encodeAction(button.action),
      ...(button.style ? { style: button.style } : {}),
    }),
  );
  return { type: 'actions', elements };
}

/** A modal's title is at most 24 characters; the full title is its header block. */
export function modalTitle(message: Message): string {
  return cutText(message.title, MODAL_TITLE_MAX - 1) + (message.title.length > MODAL_TITLE_MAX - 1 ? '…' : '');
}
