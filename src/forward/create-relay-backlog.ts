import type { RelayJob } from '../domain/forward-target.ts';
import type { Logger } from '../logger.ts';
import { createQueueReads } from '../shared/create-queue-reads.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { ForwardRepository, RelayRef } from '../store/forward-repository.ts';
import { keys } from '../store/keys.ts';
import { createRelayRescan } from './create-relay-rescan.ts';
import type { Preloaded } from './create-relay-try.ts';
import { triedElsewhereUntil } from './tried-elsewhere-until.ts';

/**
 * Queued jobs a target's lane holds in memory at most (about 2 KB each: 4 MB a target). Per target, so a dead
 * target's backlog never takes the place of a live one's. At 200 deliveries/s it is 10 s of relays, and the lane
 * reads the next ones back from the store (in key order, oldest first) once it is down to half: a target that
 * keeps up never waits on that read. A day-long outage then costs the store, not the process (~17 million jobs).
 */
export const MAX_QUEUED_PER_TARGET = 2000;

/** What the backlog asks of the lanes that hold a worker's jobs in memory. */
export interface Lanes {
  /** Jobs of the target held in memory. */
  held: (targetId: string) => number;
  /** Whether the job is held in memory. */
  holds: (job: RelayRef) => boolean;
  /** Whether the target's breaker is open (its jobs are neither read nor tried). */
  failing: (targetId: string) => boolean;
  /** Queues the job in memory (each at its booked time). */
  enter: (job: RelayJob, preloaded?: Preloaded) => void;
}

export interface RelayBacklogOptions {
  repo: ForwardRepository;
  endpoints: EndpointRepository;
  lanes: Lanes;
  /** Jobs held in memory per target at most (MAX_QUEUED_PER_TARGET). */
  bound: number;
  /** A try's timeout: a job another process may be trying is left alone while due within it (triedElsewhereUntil). */
  timeoutMs: number;
  now: () => number;
  logger: Logger;
}

/**
 * A target's jobs left in the store only (its bound reached). `spilled`: some may be; `left`: how many, as far as
 * known (for `forward`'s count). The target's jobs are read back from `cursor` on, in key order; a pass over the
 * whole queue with no job left behind since it began (`leftInPass`) finds them all, and `spilled` is cleared.
 * `aloneUntil`: the pass passed over jobs another process may be trying now, the first of them until then; a later
 * pass reads them (`lookAgain`: its timer).
 */
type StoredOnly = { spilled: boolean; left: number; cursor?: string; leftInPass: boolean; aloneUntil?: number; lookAgain?: NodeJS.Timeout; reading: boolean };

/** A job's key in memory (the worker's and the backlog's maps, the reads under way). */
export const jobKey = (job: RelayRef) => `${job.deliveryId}:${job.targetId}`;

/**
 * The relays beyond what the lanes hold in memory (the bound per target), and every read of the stored queue:
 * a job that finds its lane full stays in the store only, and is read back in key order (oldest first), a page at
 * a time, once the lane is down to half; a start loads the stored queue a page at a time, up to each bound; jobs
 * another process hands over are read by key, and the leader's rescan looks for those whose hand-over was lost
 * (createRelayRescan). A read leaves out what the lanes let go of while it was under way.
 */
export function createRelayBacklog(options: RelayBacklogOptions) {
  const { repo, lanes, bound, logger } = options;
  /** Jobs read from the store at once: half the bound, what a lane has room for when it reads back. */
  const pageSize = Math.max(1, Math.floor(bound / 2));
  const stores = new Map<string, StoredOnly>();
  const running = new Set<Promise<void>>();
  const reads = createQueueReads();
  let stopped = false;

  const storeOf = (targetId: string) => stores.get(targetId) ?? stores.set(targetId, { spilled: false, left: 0, leftInPass: false, reading: false }).get(targetId)!;
  /** Until when another process may be trying the job, if it may be now: every read of the queue leaves it alone. */
  const aloneUntil = (job: RelayJob) => {
    const until = triedElsewhereUntil(job, options.timeoutMs);
    return until !== undefined && until >= options.now() ? until : undefined;
  };
  const triedElsewhere = (job: RelayJob) => aloneUntil(job) !== undefined;
  /** Whether the job is left alone; if so, the target's jobs are read again once its grace is over. */
  const leftAlone = (job: RelayJob, store: StoredOnly) => {
    const until = aloneUntil(job);
    if (until !== undefined) store.aloneUntil = Math.min(store.aloneUntil ?? until, until);
    return until !== undefined;
  };

  /** Queues a stored job nobody waits for; with its lane at its bound, it is left in the store, to be read back in turn. */
  function admit(job: RelayJob, preloaded?: Preloaded): void {
    if (lanes.holds(job) || job.sync || job.once || lanes.held(job.targetId) < bound) return lanes.enter(job, preloaded);
    const store = storeOf(job.targetId);
    store.left += 1;
    store.spilled = true;
    store.leftInPass = true;
    rescans.moved(job, 1);
  }

  /** Once the target's lane is down to half its bound, reads its jobs left in the store back, oldest first, up to the bound. */
  function refill(targetId: string): void {
    const store = stores.get(targetId);
    if (stopped || !store?.spilled || store.reading || lanes.held(targetId) > bound - pageSize) return;
    store.reading = true;
    const run = readPages(targetId, store)
      .catch((error: unknown) => logger.error({ err: error }, 'relays left in the store could not be read back; read again on the next start'))
      .finally(() => {
        store.reading = false;
        running.delete(run);
      });
    running.add(run);
  }

  async function readPages(targetId: string, store: StoredOnly): Promise<void> {
    while (!stopped && store.spilled && lanes.held(targetId) < bound) {
      if (store.cursor === undefined) Object.assign(store, { leftInPass: false, aloneUntil: undefined });
      const page = await readPage(store.cursor, targetId);
      if (stopped) return;
      let seen = 0;
      for (const job of page.jobs) {
        if (lanes.held(targetId) >= bound) break;
        seen += 1;
        store.cursor = keys.relayJob(job.deliveryId, job.targetId);
        if (stores.get(job.targetId) !== store || !page.kept.has(job) || lanes.holds(job)) continue;
        if (leftAlone(job, store)) continue;
        store.left = Math.max(0, store.left - 1);
        rescans.moved(job, -1);
        lanes.enter(job, page.preloaded.get(job));
      }
      if (seen < page.jobs.length || page.next !== undefined) continue;
      // The queue's end: every job left behind before this pass began is read back by now.
      delete store.cursor;
      if (!store.leftInPass && store.aloneUntil === undefined) Object.assign(store, { spilled: false, left: 0 });
      // Only jobs another process may be trying are left: the next pass comes once the first one's grace is over (or
      // sooner, with the lane's next try or a rescan), not at once, which would read the queue over and over.
      else if (!store.leftInPass) return lookAgain(targetId, store, store.aloneUntil!);
    }
  }

  function lookAgain(targetId: string, store: StoredOnly, at: number): void {
    clearTimeout(store.lookAgain);
    store.lookAgain = setTimeout(() => refill(targetId), at + 1 - options.now());
  }

  /**
   * A page of the stored queue after `after`, and which of its jobs the lanes did not let go of while reading it.
   * For a target reading its jobs back while its breaker is closed, also their deliveries, in one read: a drain after
   * an outage otherwise reads each relay's delivery on its own, and at one in flight while saturated, waits for each in
   * turn (a held job may wait for hours: it is read when tried).
   */
  async function readPage(after: string | undefined, targetId?: string): Promise<{ jobs: RelayJob[]; kept: Set<RelayJob>; next?: string; preloaded: Map<RelayJob, Preloaded> }> {
    let page: { jobs: RelayJob[]; next?: string } = { jobs: [] };
    const preloaded = new Map<RelayJob, Preloaded>();
    const load = async () => {
      page = await repo.jobsAfter(after, pageSize);
      if (targetId === undefined || lanes.failing(targetId)) return page.jobs;
      const store = stores.get(targetId);
      const wanted = page.jobs.filter((job) => stores.get(job.targetId) === store && !lanes.holds(job) && !triedElsewhere(job)).slice(0, bound - lanes.held(targetId));
      const deliveries = await repo.deliveriesOf(wanted);
      for (const [i, job] of wanted.entries()) {
        const delivery = deliveries[i];
        const endpoint = delivery && (await options.endpoints.findById(job.endpointId));
        if (endpoint) preloaded.set(job, { delivery, endpoint });
      }
      return page.jobs;
    };
    const kept = new Set(await reads.read(load, jobKey));
    return { ...page, kept, preloaded };
  }

  /**
   * Queues the stored queue's jobs (each at its booked time) a page at a time, up to each lane's bound, and counts
   * per target those left in the store.
   */
  async function walk(): Promise<void> {
    const left = new Map<string, number>();
    let after: string | undefined;
    do {
      const page = await readPage(after);
      if (stopped) return;
      for (const job of page.jobs) {
        if (!page.kept.has(job) || lanes.holds(job)) continue;
        const store = storeOf(job.targetId);
        // Left to the read-back, which looks again once its grace is over; not counted, as its try may settle it.
        if (leftAlone(job, store)) continue;
        if (lanes.held(job.targetId) < bound) lanes.enter(job);
        else left.set(job.targetId, (left.get(job.targetId) ?? 0) + 1);
      }
      after = page.next;
    } while (after !== undefined);
    for (const [targetId, store] of stores) {
      store.left = left.get(targetId) ?? 0;
      if (store.left > 0 || store.aloneUntil !== undefined) Object.assign(store, { spilled: true, leftInPass: true });
      refill(targetId);
    }
  }

  /** Queues stored jobs (each at its booked time), leaving out those the lanes let go of while reading them. */
  async function adopt(load: () => Promise<RelayJob[]>): Promise<void> {
    for (const job of await reads.read(load, jobKey)) admit(job);
  }

  /**
   * Whether the job, found in the store and not held, is left to its target's read-back: its target has jobs left in
   * the store only, read back pass after pass until one leaves none behind. Found behind the cursor of the pass under
   * way, it makes that pass leave one behind, so the next one reads it.
   */
  function readsBack(job: RelayRef): boolean {
    const store = stores.get(job.targetId);
    if (!store?.spilled) return false;
    if (store.cursor !== undefined && keys.relayJob(job.deliveryId, job.targetId) <= store.cursor) store.leftInPass = true;
    // A lane with room that is not reading (its last read failed, logged) reads again now, not only after its next try.
    refill(job.targetId);
    return true;
  }

  /** A pass of the rescan counts each target's jobs left in the store only, lost hand-overs among them. */
  function recount(left: Map<string, number>): void {
    // A target none of whose jobs the lane left in the store has none there but lost ones, which the rescan takes up.
    for (const [targetId, store] of stores) store.left = store.spilled ? Math.max(0, left.get(targetId) ?? 0) : 0;
  }

  const rescans = createRelayRescan({ repo, pageSize, bound, triedElsewhere, holds: lanes.holds, readsBack, adopt, recount, stopped: () => stopped });

  return {
    admit,
    refill,
    /** Jobs of the target left in the store only, as far as known. */
    left: (targetId: string): number => stores.get(targetId)?.left ?? 0,
    /** The lanes let go of the job (tried, its outcome recorded): a read under way leaves it out. */
    letGo(job: RelayJob): void {
      void reads.letGo([jobKey(job)], async () => undefined);
    },
    adopt,
    /** Queues what an earlier run (or leader) left: each at its booked time, up to each target's bound. */
    async resume(): Promise<void> {
      stopped = false;
      rescans.restart();
      await walk();
    },
    /** The leader's safety net for a job whose hand-over was lost (createRelayRescan). */
    rescan: rescans.rescan,
    /** Stops reading back; resolves once the reads under way are done. */
    async stop(): Promise<void> {
      stopped = true;
      for (const store of stores.values()) clearTimeout(store.lookAgain);
      await Promise.all(running);
    },
    /** Forgets what is left in the store (the lanes are emptied too; a resume counts it again). */
    clear(): void {
      stores.clear();
    },
  };
}
