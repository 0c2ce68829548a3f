import { formatDuration } from '../domain/duration.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import type { Expectation } from '../domain/expectation.ts';
import { formatTime } from '../domain/format.ts';
import type { SendErrorRecord } from '../store/send-error-repository.ts';
import type { CommandFormatter, CommandServices } from './command.ts';

export function endpointUrl(services: CommandServices, endpoint: Endpoint): string {
  return `${services.publicUrl}/wh/${endpoint.token}`;
}

/** `notifications on`, `muted until 2026-11-26 18:00:00 UTC`, `muted until unmuted`. */
export function notificationState(endpoint: Endpoint, nowMs: number): string {
  if (endpoint.mutedUntil === 'forever') return 'muted until unmuted';
  if (endpoint.mutedUntil !== null && endpoint.mutedUntil > nowMs) return `muted until ${formatTime(endpoint.mutedUntil)}`;
  return 'notifications on';
}

/** `failed 2026-11-26 18:00:00 UTC: chat not found`: why notifications are not reaching the chat. */
export function sendFailure(error: SendErrorRecord): string {
  return `failed ${formatTime(error.at)}: ${error.message}`;
}

/** `when nothing arrives for 1h`, `learned per event type (auto)`, `off: expect stripe 1h`. */
export function expectationText(expectation: Expectation | undefined, name: string, format: CommandFormatter): string {
  if (!expectation) return `off (${format('expect', [name, '1h'])} or ${format('expect', [name, 'auto'])})`;
  if (expectation.mode === 'auto') return 'when an event type stays away far longer than it learned (auto)';
  return `when nothing arrives for ${formatDuration(expectation.everyMs)}`;
}
