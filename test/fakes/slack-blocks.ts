/**
 * Block Kit validation as Slack reports it: a list of `[ERROR] <reason> [json-pointer:/blocks/3/text/text]`
 * messages (chat.* answer `invalid_blocks`, views.* `invalid_arguments`). Limits from @slack/types 2.x doc
 * comments and docs.slack.dev/reference/block-kit; lengths are UTF-16 code units (the stricter reading).
 * Skipped: the undocumented aggregate text limit (`msg_blocks_too_long`), confirm dialogs, option lists.
 */
import { isRecord } from './slack-types.ts';

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;

type Report = (reason: string, pointer: string) => void;

/** Blocks that are accepted with only the common checks (block_id); types not listed here are unsupported. */
const LENIENT_BLOCKS = new Set(['divider', 'file', 'video', 'table', 'context_actions', 'call']);

const tooLong = (max: number) => `must be less than ${max + 1} characters`;

function string(value: unknown, pointer: string, report: Report, max: number, required = true): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string') return report('must provide a string', pointer);
  if (required && value.length === 0) return report('must be more than 0 characters', pointer);
  if (value.length > max) report(tooLong(max), pointer);
}

function array(value: unknown, pointer: string, report: Report, max: number): unknown[] {
  if (!Array.isArray(value)) {
    report('must provide an array', pointer);
    return [];
  }
  if (value.length === 0) report('must provide at least 1 items', pointer);
  if (value.length > max) report(`no more than ${max} items allowed`, pointer);
  return value;
}

/** A composition text object: `{type: plain_text|mrkdwn, text}`. */
function textObject(value: unknown, pointer: string, report: Report, max: number, plainOnly = false): void {
  if (!isRecord(value)) return report('must provide an object', pointer);
  const types = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (value.type === undefined) report('missing required field: type', pointer);
  else if (!types.includes(value.type as string)) report('must be a valid enum value', `${pointer}/type`);
  if (value.text === undefined) report('missing required field: text', pointer);
  else string(value.text, `${pointer}/text`, report, max);
}

function optionalText(value: unknown, pointer: string, report: Report, max: number, plainOnly = false): void {
  if (value !== undefined) textObject(value, pointer, report, max, plainOnly);
}

/** An interactive or image element (actions elements, section accessory, input element). */
function element(value: unknown, pointer: string, report: Report): void {
  if (!isRecord(value)) return report('must provide an object', pointer);
  if (typeof value.type !== 'string') return report('missing required field: type', pointer);
  string(value.action_id, `${pointer}/action_id`, report, 255, false);
  if (value.type === 'button') {
    if (value.text === undefined) report('missing required field: text', pointer);
    else textObject(value.text, `${pointer}/text`, report, 75, true);
    string(value.value, `${pointer}/value`, report, 2000, false);
    string(value.url, `${pointer}/url`, report, 3000, false);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
      report('must be a valid enum value', `${pointer}/style`);
    }
  }
  if (value.type === 'image') {
    if (value.image_url === undefined && value.slack_file === undefined) report('missing required field: image_url', pointer);
    string(value.alt_text, `${pointer}/alt_text`, report, 2000);
  }
}

function block(value: unknown, pointer: string, report: Report): void {
  if (!isRecord(value)) return report('must provide an object', pointer);
  if (typeof value.type !== 'string') return report('missing required field: type', pointer);
  string(value.block_id, `${pointer}/block_id`, report, 255, false);
  switch (value.type) {
    case 'section':
      if (value.text === undefined && value.fields === undefined) report('must provide text or fields', pointer);
      optionalText(value.text, `${pointer}/text`, report, 3000);
      if (value.fields !== undefined) {
        array(value.fields, `${pointer}/fields`, report, 10).forEach((field, i) =>
          textObject(field, `${pointer}/fields/${i}`, report, 2000),
        );
      }
      if (value.accessory !== undefined) element(value.accessory, `${pointer}/accessory`, report);
      return;
    case 'header':
      return textObject(value.text, `${pointer}/text`, report, 150, true);
    case 'context':
      return array(value.elements, `${pointer}/elements`, report, 10).forEach((item, i) =>
        isRecord(item) && item.type === 'image'
          ? element(item, `${pointer}/elements/${i}`, report)
          : textObject(item, `${pointer}/elements/${i}`, report, 3000),
      );
    case 'actions':
      return array(value.elements, `${pointer}/elements`, report, 25).forEach((item, i) =>
        element(item, `${pointer}/elements/${i}`, report),
      );
    case 'image':
      if (value.image_url === undefined && value.slack_file === undefined) report('missing required field: image_url', pointer);
      string(value.image_url, `${pointer}/image_url`, report, 3000, false);
      string(value.alt_text, `${pointer}/alt_text`, report, 2000);
      return optionalText(value.title, `${pointer}/title`, report, 2000, true);
    case 'input':
      textObject(value.label, `${pointer}/label`, report, 2000, true);
      optionalText(value.hint, `${pointer}/hint`, report, 2000, true);
      return element(value.element, `${pointer}/element`, report);
    case 'rich_text':
      array(value.elements, `${pointer}/elements`, report, Number.POSITIVE_INFINITY);
      return;
    case 'markdown':
      return string(value.text, `${pointer}/text`, report, 12_000);
    default:
      if (!LENIENT_BLOCKS.has(value.type)) report(`unsupported type: ${value.type}`, `${pointer}/type`);
  }
}

const collector = () => {
  const messages: string[] = [];
  const report: Report = (reason, pointer) => messages.push(`[ERROR] ${reason} [json-pointer:${pointer}]`);
  return { messages, report };
};

/** Errors of a `blocks` argument; `pointer` is where it sits (`/blocks`, `/view/blocks`). */
export function validateBlocks(blocks: unknown, pointer = '/blocks', max = MAX_MESSAGE_BLOCKS): string[] {
  const { messages, report } = collector();
  if (!Array.isArray(blocks)) {
    report('must provide an array', pointer);
    return messages;
  }
  if (blocks.length > max) report(`no more than ${max} items allowed`, pointer);
  blocks.forEach((b, i) => block(b, `${pointer}/${i}`, report));
  return messages;
}

/** Errors of a views.open `view` (modal). */
export function validateView(view: unknown): string[] {
  const { messages, report } = collector();
  if (!isRecord(view)) {
    report('must provide an object', '/view');
    return messages;
  }
  if (view.type !== 'modal') report('must be a valid enum value', '/view/type');
  textObject(view.title, '/view/title', report, 24, true);
  optionalText(view.close, '/view/close', report, 24, true);
  optionalText(view.submit, '/view/submit', report, 24, true);
  string(view.private_metadata, '/view/private_metadata', report, 3000, false);
  string(view.callback_id, '/view/callback_id', report, 255, false);
  string(view.external_id, '/view/external_id', report, 255, false);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
  if (hasInput && view.submit === undefined) report('submit is required when blocks contain an input block', '/view');
  messages.push(...validateBlocks(view.blocks, '/view/blocks', MAX_VIEW_BLOCKS));
  return messages;
}
