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
  const provider = byHeader(request, list) ?? list.find((candidate) => candidate.sniff?.(request) === true);
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

/** Per provider list, each marking header's earliest provider: a delivery's few headers are looked up, not every provider's. */
const headerIndexes = new WeakMap<readonly Provider[], Map<string, number>>();

function byHeader(request: ProviderRequest, list: readonly Provider[]): Provider | undefined {
  let index = headerIndexes.get(list);
  if (!index) {
    index = new Map();
    for (const [position, provider] of list.entries()) for (const name of provider.headers) if (!index.has(name)) index.set(name, position);
    headerIndexes.set(list, index);
  }
  let first: number | undefined;
  for (const [name] of request.headers) {
    const position = index.get(name.toLowerCase());
    if (position !== undefined && (first === undefined || position < first)) first = position;
  }
  return first === undefined ? undefined : list[first];
}
