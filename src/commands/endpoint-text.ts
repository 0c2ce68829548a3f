import type { Endpoint } from '../domain/endpoint.ts';
import { formatTime } from '../domain/format.ts';
import type { SendErrorRecord } from '../store/send-error-repository.ts';
import type { CommandServices } from './command.ts';

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
