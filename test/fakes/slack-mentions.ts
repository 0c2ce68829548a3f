/**
 * What Slack would render as a mention or a disguisable link in a message, so a test can assert `[]` for a
 * hostile payload. Slack's special syntax is always `<…>`-delimited (docs.slack.dev "Formatting text for app
 * surfaces"); escaping `&`, `<`, `>` neutralises it. Scanned:
 *   - the `text` argument (mrkdwn unless `mrkdwn:false`; scanned either way, it also feeds notifications),
 *   - every `{type:'mrkdwn', text}` object anywhere in `blocks` (section text and fields, context elements,
 *     option descriptions...), `markdown` blocks, and rich_text mention elements (broadcast, user, usergroup,
 *     channel, link), which render by construction,
 *   - legacy `attachments` (text, pretext, title, fields values, footer, and their blocks).
 * `plain_text` objects never render mentions or links and are skipped. `link_names` (turns a literal `@channel`
 * into a mention) and `parse: 'full'` are reported as risks themselves.
 */
import { isRecord } from './slack-types.ts';

/** `<!channel>`, `<!here|…>`, `<!everyone>`, `<!subteam^S1>`, `<!date^…>`, `<@U1>`, `<#C1|x>`, `<https://…|…>`. */
const SPECIAL = /<(?:![a-z][^<>]*|@[A-Z0-9][^<>]*|#[A-Z0-9][^<>]*|(?:https?|mailto|ftp|slack):[^<>]*)>/g;

const scan = (text: unknown): string[] => (typeof text === 'string' ? (text.match(SPECIAL) ?? []) : []);

/** Mentions built from rich_text elements (they need no `<…>` syntax: they are mentions by construction). */
function richTextElement(node: Record<string, unknown>): string[] {
  switch (node.type) {
    case 'broadcast':
      return [`<!${String(node.range)}>`];
    case 'user':
      return [`<@${String(node.user_id)}>`];
    case 'usergroup':
      return [`<!subteam^${String(node.usergroup_id)}>`];
    case 'channel':
      return [`<#${String(node.channel_id)}>`];
    case 'link':
      return [`<${String(node.url)}${typeof node.text === 'string' ? `|${node.text}` : ''}>`];
    default:
      return [];
  }
}

/** Walks a blocks tree: mrkdwn text objects, markdown blocks, rich_text mention elements. */
function inBlocks(value: unknown, insideRichText = false): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => inBlocks(item, insideRichText));
  if (!isRecord(value)) return [];
  if (value.type === 'plain_text') return [];
  if (value.type === 'mrkdwn' || (value.type === 'markdown' && !insideRichText)) return scan(value.text);
  const found = insideRichText ? richTextElement(value) : [];
  const nested = insideRichText || value.type === 'rich_text';
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'object' && child !== null && key !== 'type') found.push(...inBlocks(child, nested));
  }
  return found;
}

function inAttachments(attachments: unknown): string[] {
  if (!Array.isArray(attachments)) return [];
  return attachments.flatMap((a) => {
    if (!isRecord(a)) return [];
    const fields = Array.isArray(a.fields) ? a.fields.filter(isRecord) : [];
    return [
      ...[a.pretext, a.title, a.text, a.footer, a.fallback].flatMap(scan),
      ...fields.flatMap((f) => [...scan(f.title), ...scan(f.value)]),
      ...inBlocks(a.blocks),
    ];
  });
}

/** Anything with the shape of a message: chat.postMessage arguments, a SlackPost, a response_url body. */
export interface MessageLike {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
  link_names?: unknown;
  linkNames?: unknown;
  parse?: unknown;
  params?: unknown;
}

/** Every mention/link Slack would render specially in `message`, in document order, plus `link_names`/`parse` risks. */
export function mentionsIn(message: MessageLike): string[] {
  const params = isRecord(message.params) ? message.params : {};
  const linkNames = [message.link_names, message.linkNames, params.link_names].some((v) => v === true || v === 1 || v === '1' || v === 'true');
  const parseFull = [message.parse, params.parse].includes('full');
  return [
    ...scan(message.text),
    ...inBlocks(message.blocks),
    ...inAttachments(message.attachments),
    ...(linkNames ? ['link_names=true'] : []),
    ...(parseFull ? ['parse=full'] : []),
  ];
}
