import { numberAt, stringAt } from './json-fields.ts';
import type { Detection, JsonObject } from './provider.ts';

// Interaction types; webhook events use type 0 (PING) and 1 with an `event` object instead.
const INTERACTIONS: Record<number, string> = { 1: 'PING', 2: 'APPLICATION_COMMAND', 3: 'MESSAGE_COMPONENT', 4: 'APPLICATION_COMMAND_AUTOCOMPLETE', 5: 'MODAL_SUBMIT' };

/** `APPLICATION_AUTHORIZED` and friends for webhook events, the interaction type name for interactions. */
export function discordEvent(json: JsonObject | undefined): Pick<Detection, 'event' | 'eventId' | 'summary'> {
  const type = numberAt(json, 'type');
  if (json?.event !== undefined) {
    const user = stringAt(json.event, 'data.user.username');
    return { event: stringAt(json.event, 'type'), summary: user === undefined ? undefined : `by ${user}` };
  }
  if (type === 0) return { event: 'PING' };
  const user = stringAt(json, 'member.user.username') ?? stringAt(json, 'user.username');
  const command = stringAt(json, 'data.name');
  const summary = [command && `/${command}`, user && `by ${user}`].filter(Boolean).join(' ');
  return { event: type === undefined ? undefined : INTERACTIONS[type], eventId: stringAt(json, 'id'), summary: summary || undefined };
}
