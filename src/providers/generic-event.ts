import type { ProviderRequest } from './provider.ts';

const EVENT_FIELDS = ['type', 'event', 'event_type', 'action'] as const;

/** The event of an unknown sender, from the usual top-level JSON fields. */
export function genericEvent(request: ProviderRequest): string | undefined {
  const json = request.json;
  if (!json) return undefined;
  for (const field of EVENT_FIELDS) {
    const value = json[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
