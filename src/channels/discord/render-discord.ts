import { ButtonStyle, ComponentType, escapeMarkdown, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Message, Tone } from '../../domain/message.ts';
import { cutText, truncateCode, truncationNote } from '../../domain/truncate.ts';
import { encodeAction } from '../button-action.ts';

/** Discord's limits (discord-api-types and the API docs). */
export const EMBED_TITLE_MAX = 256;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_FIELDS_MAX = 25;
export const FIELD_NAME_MAX = 256;
export const FIELD_VALUE_MAX = 1024;
export const EMBED_TOTAL_MAX = 6000;
export const CUSTOM_ID_MAX = 100;
const BUTTON_LABEL_MAX = 80;
const BUTTONS_PER_ROW = 5;
const FENCE = '```';

const TONE_COLOUR: Record<Tone, number> = { info: 0x3b82f6, success: 0x22c55e, warning: 0xf59e0b, danger: 0xef4444 };

export interface DiscordRendering {
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponentWithCustomId>>;
  files: Array<{ attachment: Buffer; name: string }>;
  /** Nobody is ever pinged by what a stranger sent. */
  allowedMentions: { parse: [] };
}

/** Markdown in untrusted text is escaped; code blocks keep text literal but must not be closed early. */
const text = (value: string) => escapeMarkdown(value);
const fenced = (content: string, language: string) => `${FENCE}${language}\n${content.replaceAll(FENCE, '`\u200b``')}\n${FENCE}`;

/** A Message as one embed with buttons, within Discord's limits; the whole body as a file when cut. */
export function renderDiscord(message: Message): DiscordRendering {
  const fields: APIEmbedField[] = (message.fields ?? []).slice(0, EMBED_FIELDS_MAX).map((field) => ({
    name: cutText(text(field.label), FIELD_NAME_MAX),
    value: cutText(text(field.value), FIELD_VALUE_MAX) || '\u200b',
    inline: field.value.length <= 40 && !field.value.includes('\n'),
  }));
  const title = cutText(text(message.title), EMBED_TITLE_MAX);
  const lines = (message.lines ?? []).map(text).join('\n');
  const used = title.length + fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  const room = Math.min(EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX - used) - lines.length - 120; // fences, note
  const files: DiscordRendering['files'] = [];
  let description = cutText(lines, Math.min(EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX - used));
  if (message.code && room > 0) {
    const code = truncateCode(message.code, room);
    const note = truncationNote(code);
    description = [lines, fenced(code.content, message.code.language), ...(note ? [`*${note}*`] : [])].filter(Boolean).join('\n');
    if (note && message.attachment?.when === 'overflow') files.push({ attachment: message.attachment.bytes, name: message.attachment.filename });
  }
  if (message.attachment?.when === 'always') files.push({ attachment: message.attachment.bytes, name: message.attachment.filename });
  if (message.image) files.push({ attachment: message.image.png, name: message.image.filename });

  const embed: APIEmbed = {
    title,
    ...(description ? { description } : {}),
    ...(fields.length > 0 ? { fields } : {}),
    ...(message.tone ? { color: TONE_COLOUR[message.tone] } : {}),
    // The uploaded picture shown inside the embed.
    ...(message.image ? { image: { url: `attachment://${message.image.filename}` } } : {}),
    ...(message.time !== undefined ? { timestamp: new Date(message.time).toISOString() } : {}),
  };
  return { embeds: [embed], components: renderButtons(message), files, allowedMentions: { parse: [] } };
}

function renderButtons(message: Message): DiscordRendering['components'] {
  const buttons = (message.buttons ?? [])
    .map(
      (button): APIButtonComponentWithCustomId => ({
        type: ComponentType.Button,
        custom_id: encodeAction(button.action),
        label: cutText(button.label, BUTTON_LABEL_MAX),
        style: button.style === 'danger' ? ButtonStyle.Danger : button.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      }),
    )
    .filter((button) => button.custom_id.length <= CUSTOM_ID_MAX);
  const rows: DiscordRendering['components'] = [];
  for (let i = 0; i < buttons.length && rows.length < 5; i += BUTTONS_PER_ROW) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + BUTTONS_PER_ROW) });
  return rows;
}
