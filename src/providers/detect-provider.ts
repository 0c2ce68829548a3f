import { genericEvent } from './generic-event.ts';
import { oneLine } from './one-line.ts';
import type { Detection, Provider, ProviderRequest } from './provider.ts';
import { providers } from './provider-list.ts';

const EVENT_MAX = 100;
const EVENT_ID_MAX = 200;
const SUMMARY_MAX = 150;

/**
 * Who sent a delivery: a provider's own headers first (they are the reliable mark), then body shapes,
 * then the generic top-level event fields. Undefined when nothing is known at all.
 */
export function detectProvider(request: ProviderRequest, list: readonly Provider[] = providers): Detection | undefined {
  const provider =
    list.find((candidate) => candidate.headers.some((name) => request.header(name) !== undefined)) ??
    list.find((candidate) => candidate.sniff?.(request) === true);
  if (!provider) {
    const event = genericEvent(request);
    return event === undefined ? undefined : { provider: 'generic', providerName: 'Generic', event: oneLine(event, EVENT_MAX) };
  }
  const { event, eventId, summary } = provider.describe(request);
  // Header and body values are sender-controlled: keep each on one bounded line.
  const detection: Detection = { provider: provider.id, providerName: provider.name };
  if (event) detection.event = oneLine(event, EVENT_MAX);
  if (eventId) detection.eventId = oneLine(eventId, EVENT_ID_MAX);
  if (summary) detection.summary = oneLine(summary, SUMMARY_MAX);
  return detection;
}
