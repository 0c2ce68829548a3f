import { headerValue, type Delivery } from '../domain/delivery.ts';
import { idRef, type Endpoint } from '../domain/endpoint.ts';
import { formatBytes, formatTime } from '../domain/format.ts';
import type { Field, Message } from '../domain/message.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import { maskQuery } from '../domain/mask-query.ts';
import { truncateCode } from '../domain/truncate.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { viewBody } from './body-view.ts';
import { describeAnalysis } from './describe-analysis.ts';
import { prettyJson } from './pretty-json.ts';

/** The preview budget, the same for every platform; renderers only cut further to their limits. */
export const PREVIEW_MAX_CHARS = 1500;
export const PREVIEW_MAX_LINES = 40;
const MAX_FORM_FIELDS = 10;
const MAX_FORM_VALUE_CHARS = 200;

/** Spec section 3: what one delivery looks like in every chat; `forwarded`: its relays' outcomes when known. */
export function buildNotification(delivery: Delivery, endpoint: Endpoint, forwarded: string[] = []): Message {
  const view = viewBody(delivery);
  const fields: Field[] = [
    { label: 'Received', value: formatTime(delivery.receivedAt) },
    { label: 'Size', value: formatBytes(delivery.size) + (delivery.decodedFrom ? ` (sent ${delivery.decodedFrom})` : '') },
    { label: 'Content type', value: headerValue(delivery, 'content-type') ?? 'none' },
    { label: 'Delivery', value: delivery.id },
  ];
  if (delivery.query) fields.push({ label: 'Query', value: maskQuery(delivery.query) });
  if (forwarded.length > 0) fields.push({ label: 'Forwarded', value: forwarded.join('; ') });

  const message: Message = {
    title: `${endpoint.name} · ${delivery.method} ${delivery.subPath || '/'}`,
    tone: 'info',
    time: delivery.receivedAt,
    fields,
    buttons: [
      { label: 'Payload', action: { command: 'payload', args: [delivery.id] } },
      { label: 'Headers', action: { command: 'headers', args: [delivery.id] } },
      { label: 'Mute 1h', action: { command: 'mute', args: [idRef(endpoint), '1h'] } },
    ],
  };

  const headline = analysisLines(delivery, endpoint.name);
  switch (view.kind) {
    case 'empty':
      message.lines = ['Empty body.'];
      break;
    case 'binary':
      message.lines = [`Binary body: ${formatBytes(view.size)}. Use Payload to download it.`];
      break;
    case 'form':
      for (const [name, value] of view.fields.slice(0, MAX_FORM_FIELDS)) {
        fields.push({ label: name || '(no name)', value: value.length > MAX_FORM_VALUE_CHARS ? `${value.slice(0, MAX_FORM_VALUE_CHARS)}…` : value });
      }
      if (view.fields.length > MAX_FORM_FIELDS) message.lines = [`${view.fields.length - MAX_FORM_FIELDS} more form fields: use Payload.`];
      break;
    case 'json':
      message.code = jsonPreview(view.value);
      break;
    case 'invalid-json':
      message.lines = ['Not valid JSON: shown as text.'];
      message.tone = 'warning';
      message.code = preview('text', view.text);
      break;
    case 'text':
      message.code = preview('text', view.text);
      break;
  }
  if (headline.lines.length > 0) message.lines = [...headline.lines, ...(message.lines ?? [])];
  if (headline.tone) message.tone = headline.tone;
  return message;
}

/**
 * A delivery that retention removed while its notification waited (a chat down for long, a small
 * RETENTION_DELIVERIES): still told, from what its outbox entry kept, so it is not silently missing.
 */
export function buildPrunedNotice(entry: OutboxEntry, endpoint: Endpoint): Message {
  return {
    title: `${endpoint.name} · ${entry.label ?? 'delivery'}`,
    tone: entry.signatureInvalid ? 'danger' : 'info',
    time: deliveryIdTime(entry.deliveryId),
    lines: [
      ...(entry.signatureInvalid ? ['Its signature was invalid.'] : []),
      'Removed by retention (RETENTION_DELIVERIES, RETENTION_DAYS) before this notification could go out: its payload is no longer stored.',
    ],
    fields: [{ label: 'Delivery', value: entry.deliveryId }],
  };
}

/** The provider's line first, then what needs attention: a repeat, or a signature that fails. */
function analysisLines(delivery: Delivery, endpointName: string): { lines: string[]; tone?: Message['tone'] } {
  const { analysis } = delivery;
  if (!analysis) return { lines: [] };
  const lines = [describeAnalysis(analysis, endpointName)];
  if (analysis.duplicateOf) lines.push(`Duplicate of ${analysis.duplicateOf}: the sender delivered this event before.`);
  if (analysis.signature.status === 'invalid') return { lines, tone: 'danger' };
  return analysis.duplicateOf ? { lines, tone: 'warning' } : { lines };
}

function preview(language: 'json' | 'text', content: string) {
  return truncateCode({ language, content }, PREVIEW_MAX_CHARS, PREVIEW_MAX_LINES);
}

/** Only the preview's worth is printed, whatever the depth or size; the note still gives the whole length. */
function jsonPreview(value: unknown) {
  const { text, length } = prettyJson(value, PREVIEW_MAX_CHARS);
  return truncateCode({ language: 'json', content: text, ...(length > text.length ? { fullLength: length } : {}) }, PREVIEW_MAX_CHARS, PREVIEW_MAX_LINES);
}
