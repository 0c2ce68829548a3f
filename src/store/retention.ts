import { deliveryIdFloor } from '../domain/ids.ts';
import type { EndpointRepository } from './endpoint-repository.ts';
import { REMOVAL_CHUNK, type EventIdIndex } from './event-id-index.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';

/** How far the age cut moves at a time: a trim each second rereads nothing while it stays. */
const AGE_STEP_MS = 60_000;

export interface RetentionOptions {
  store: KeyValueStore;
  endpoints: Pick<EndpointRepository, 'listAllIds' | 'whileLive'>;
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
 * touched endpoints by count and age, and an hourly sweep expires old deliveries of idle
 * endpoints. A trim finds one cut per collection (the id of "30 days ago", to the minute, or of the
 * newest 500th, whichever is later) and removes what sorts below it, the event ids its deliveries claimed, their
 * find entries and their relays' tries and failures included, a bounded chunk per write. One task runs at a time, and one endpoint's failure is
 * reported without stopping the others.
 */
export function createRetention(options: RetentionOptions) {
  const { store, maxDeliveries, maxAgeMs, now } = options;
  const touched = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  /**
   * Each collection's cut as of the last removal below it, so a trim whose cut is no higher reads no
   * rows to remove. What a writer adds below a cut later goes with the next higher cut, or with the
   * hourly sweep, which removes below every cut again.
   */
  const removedBelow = new Map<string, string>();

  /**
   * The key suffix everything below which goes: older than the age limit, or past the newest
   * `maxDeliveries`. A collection whose count is known to be within the limit skips the walk to the newest `maxDeliveries`-th.
   */
  async function cutOf(prefix: string, ageFloor: string, counted = false): Promise<string> {
    const count = counted ? await store.get(keys.countOf(prefix)) : undefined;
    if (typeof count === 'number' && count <= maxDeliveries) return ageFloor;
    const [last] = await store.scan(prefix, { reverse: true, keysOnly: true, limit: 1, offset: maxDeliveries - 1 });
    const countFloor = last ? lastSegment(last.key) : '';
    return countFloor > ageFloor ? countFloor : ageFloor;
  }

  /** With `counted`, the collection's count goes down with each chunk, in the same write. */
  async function removeBelow(prefix: string, cut: string, counted = false): Promise<void> {
    for (;;) {
      const old = await store.scan(prefix, { to: cut, keysOnly: true, limit: REMOVAL_CHUNK });
      if (old.length > 0) await store.write({ delete: old.map((entry) => entry.key), ...(counted ? { add: [[keys.countOf(prefix), -old.length]] } : {}) });
      if (old.length < REMOVAL_CHUNK) return;
    }
  }

  /** Runs `remove` unless an earlier one already removed below `cut`. */
  async function removeOnce(prefix: string, cut: string, remove: () => Promise<void>): Promise<void> {
    if (cut <= (removedBelow.get(prefix) ?? '')) return;
    await remove();
    removedBelow.set(prefix, cut);
  }

  async function trim(endpointId: string): Promise<void> {
    // The age cut moves a minute at a time, so the trims within a minute find it where the last one left it.
    const ageFloor = deliveryIdFloor(Math.floor((now() - maxAgeMs) / AGE_STEP_MS) * AGE_STEP_MS);
    const deliveries = keys.deliveries(endpointId);
    const deliveriesCut = await cutOf(deliveries, ageFloor, true);
    await removeOnce(deliveries, deliveriesCut, async () => {
      // What names a delivery goes before the delivery: stopped in between, no event id, find entry
      // (`find status:failed`) or relay record is left naming a removed delivery.
      await options.eventIds.removeBelow(endpointId, deliveriesCut);
      for (const prefix of [keys.findEntries(endpointId), keys.relayFailures(endpointId), keys.endpointRelayAttempts(endpointId)]) await removeBelow(prefix, deliveriesCut);
      await removeBelow(deliveries, deliveriesCut, true);
    });
    for (const prefix of [keys.rejections(endpointId), keys.undeliveredOf(endpointId)]) {
      const cut = await cutOf(prefix, ageFloor);
      await removeOnce(prefix, cut, () => removeBelow(prefix, cut));
    }
  }

  /**
   * Each endpoint on its own: a failure is reported and the next endpoint still runs. Inside the
   * endpoint's write gate, so a delete waits for its trim and a count it removed is not written again.
   */
  async function eachEndpoint(ids: string[], task: (id: string) => Promise<void>): Promise<void> {
    for (const id of ids) await options.endpoints.whileLive(id, () => task(id)).catch(options.onError);
  }

  const trimTouched = () =>
    serially(() => {
      const ids = [...touched];
      touched.clear();
      return eachEndpoint(ids, trim);
    });

  const sweep = () =>
    serially(async () => {
      // Every collection of every endpoint is walked again, and endpoints deleted since leave the map.
      removedBelow.clear();
      await eachEndpoint(await options.endpoints.listAllIds(), async (id) => {
        await trim(id);
        await options.eventIds.sweep(id);
      });
    });

  /** Tasks one after another, so two never pick the same rows to remove. */
  function serially(task: () => Promise<void>): Promise<void> {
    running = running.then(task, task);
    return running;
  }

  const run = (task: () => Promise<void>) => () => void task().catch(options.onError);
  let timers: NodeJS.Timeout[] = [];

  return {
    touch: (endpointId: string) => touched.add(endpointId),
    /** Runs a trim of touched endpoints now (tests, shutdown). */
    flush: trimTouched,
    sweep,
    /** Starts the timers: in one process of several (the leader), so two never remove the same rows. */
    start(): void {
      timers = [setInterval(run(trimTouched), options.trimEveryMs ?? 1000), setInterval(run(sweep), options.sweepEveryMs ?? 3_600_000)];
      for (const timer of timers) timer.unref();
    },
    /** Stops the timers and waits for a task under way, so the store can close after it. */
    async stop(): Promise<void> {
      timers.forEach(clearInterval);
      timers = [];
      await running.catch(() => undefined);
    },
  };
}
