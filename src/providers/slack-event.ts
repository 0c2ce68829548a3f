import { stringAt } from './json-fields.ts';
import { oneLine } from './one-line.ts';
import type { Detection, ProviderRequest } from './provider.ts';

/**
 * Events API: `event.type` of an `event_callback`, else the top-level `type` (`url_verification`).
 * Slash commands and interactivity arrive as forms, signed the same way.
 */
export function slackEvent(request: ProviderRequest): Pick<Detection, 'event' | 'eventId' | 'summary'> {
  const { json, form } = request;
  if (json?.type === 'event_callback') {
    const event = json.event;
    const where = [stringAt(event, 'user') && `by ${stringAt(event, 'user')}`, stringAt(event, 'channel') && `in ${stringAt(event, 'channel')}`];
    const text = stringAt(event, 'text');
    const head = [stringAt(event, 'type'), ...where].filter(Boolean).join(' ');
    return { event: stringAt(event, 'type'), eventId: stringAt(json, 'event_id'), summary: text === undefined ? head : `${head}: ${oneLine(text, 80)}` };
  }
  if (json) return { event: stringAt(json, 'type') };
  const command = form?.get('command');
  if (command) return { event: 'slash_command', summary: `${command} ${form?.get('text') ?? ''} by ${form?.get('user_name') ?? '?'}` };
  const payload = parsePayload(form?.get('payload'));
  return { event: stringAt(payload, 'type'), summary: stringAt(payload, 'user.name') && `by ${stringAt(payload, 'user.name')}` };
}

function parsePayload(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
