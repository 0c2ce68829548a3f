import { deliveryIdFloor } from '../domain/ids.ts';
import type { EndpointRepository } from './endpoint-repository.ts';
import type { EventIdIndex } from './event-id-index.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';

export interface RetentionOptions {
  store: KeyValueStore;
  endpoints: EndpointRepository;
  eventIds: EventIdIndex;
  maxDeliveries: number;
  maxAgeMs: number;
  now: () => number;
  onError: (error: unknown) => void;
  /** How often endpoints that received something are trimmed. */
  trimEveryMs?: number;
  /** How often every endpoint is checked for age, so idle ones expire too. */
  sweepEveryMs?: number;
}

/**
 * Retention off the hot path: the receiver only marks an endpoint as touched; a timer trims
 * touched endpoints by count and age (two range deletes on the time-ordered index), and an
 * hourly sweep expires old deliveries of idle endpoints and old event ids.
 */
export function createRetention(options: RetentionOptions) {
  const { store, maxDeliveries, maxAgeMs, now } = options;
  const touched = new Set<string>();

  async function trim(endpointId: string): Promise<void> {
    const ageFloor = deliveryIdFloor(now() - maxAgeMs);
    for (const prefix of [keys.deliveries(endpointId), keys.findEntries(endpointId), keys.rejections(endpointId), keys.undeliveredOf(endpointId)]) {
      await store.deleteRange(prefix, ageFloor);
      await store.keepNewest(prefix, maxDeliveries);
    }
  }

  async function trimTouched(): Promise<void> {
    const ids = [...touched];
    touched.clear();
    for (const id of ids) await trim(id);
  }

  async function sweep(): Promise<void> {
    for (const id of await options.endpoints.listAllIds()) {
      await trim(id);
      await options.eventIds.sweep(id, now() - maxAgeMs);
    }
  }

  const run = (task: () => Promise<void>) => () => void task().catch(options.onError);
  const timers = [
    setInterval(run(trimTouched), options.trimEveryMs ?? 1000),
    setInterval(run(sweep), options.sweepEveryMs ?? 3_600_000),
  ];
  for (const timer of timers) timer.unref();

  return {
    touch: (endpointId: string) => touched.add(endpointId),
    /** Runs a trim of touched endpoints now (tests, shutdown). */
    flush: trimTouched,
    sweep,
    stop: () => timers.forEach(clearInterval),
  };
}
