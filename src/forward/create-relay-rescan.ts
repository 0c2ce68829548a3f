import type { RelayJob } from '../domain/forward-target.ts';
import type { ForwardRepository, RelayRef } from '../store/forward-repository.ts';
import { keys } from '../store/keys.ts';

/**
 * Pages of keys one rescan reads at most, on from where the last one stopped: a queue of up to 16 pages (16,000
 * relays at the default bound) is looked over whole by every rescan, a longer one over as many rescans as it takes
 * (a day-long outage's 17 million: about 9 hours at one rescan in 30 s), at the cost of 16 reads of keys, not millions
 * of rows, every 30 s.
 */
export const RESCAN_PAGES = 16;

export interface RelayRescanOptions {
  repo: ForwardRepository;
  /** Keys read at once (the backlog's page). */
  pageSize: number;
  /** Jobs left alone for the grace that are looked at again by the next rescan, at most (the lane's bound). */
  bound: number;
  /** Whether another process may be trying the job now (triedElsewhereUntil): it is left alone, and looked at again next time. */
  triedElsewhere: (job: RelayJob) => boolean;
  /** Whether the job is held in memory. */
  holds: (job: RelayRef) => boolean;
  /** Whether the job, in the store and not held, will be read back by its target's lane (some of its jobs wait there only). */
  readsBack: (job: RelayRef) => boolean;
  /** Queues stored jobs (up to each lane's bound; the rest are left in the store, counted, to be read back). */
  adopt: (load: () => Promise<RelayJob[]>) => Promise<void>;
  /** At the end of a pass over the queue: per target, its jobs left in the store only (those not named: none). */
  recount: (left: Map<string, number>) => void;
  stopped: () => boolean;
}

/**
 * The leader's safety net for a job whose hand-over was lost (the process that stored it died before telling,
 * or the message was lost): looks over the stored queue's keys, a page at a time, and reads and queues only
 * the jobs neither held in memory nor left in the store to be read back by their lane. Each rescan reads the
 * newest page (a fresh relay's hand-over is found at once) and RESCAN_PAGES more on from where the last stopped,
 * and looks again at the jobs it left alone for the grace, so none waits a whole pass over a long queue.
 *
 * A lost job of a target whose jobs wait in the store is left to its lane's read-back, and nothing tells it from the
 * jobs the lane left there itself: so each pass over the queue counts, per target, the jobs it finds left in the store
 * only, and its count becomes the target's (`forward`'s waiting). Jobs that move between memory and the store behind
 * the pass meanwhile are told to it (`moved`), so the count is of the queue as it stands at the pass's end.
 */
export function createRelayRescan(options: RelayRescanOptions) {
  const { repo, pageSize } = options;
  /** Where the next rescan reads on from (undefined: the queue's start). */
  let cursor: string | undefined;
  /** Jobs the last rescan left alone (another process's try may have been under way). */
  let recheck: RelayRef[] = [];
  let rescanning: Promise<void> | undefined;
  /** The pass under way: per target, its jobs left in the store only, found so far; and the last key it counted. */
  let tally = new Map<string, number>();
  let passed: string | undefined;
  const count = (targetId: string, by: number) => tally.set(targetId, (tally.get(targetId) ?? 0) + by);

  async function rescanPages(): Promise<void> {
    const leftAlone = new Map<string, RelayRef>();
    /**
     * Reads and queues the jobs of these keys that nothing else will find; leaves alone those another process may be
     * trying. `counted`: the pass's next page, whose jobs left to their lane's read-back it counts.
     */
    const takeUp = (refs: RelayRef[], counted = false) => {
      const lost: string[] = [];
      for (const ref of refs) {
        if (options.holds(ref)) continue;
        if (!options.readsBack(ref)) lost.push(keys.relayJob(ref.deliveryId, ref.targetId));
        else if (counted) count(ref.targetId, 1);
      }
      if (counted && refs.length > 0) passed = keys.relayJob(refs.at(-1)!.deliveryId, refs.at(-1)!.targetId);
      if (lost.length === 0) return Promise.resolve();
      return options.adopt(async () =>
        (await repo.jobsAt(lost)).filter((job) => {
          const elsewhere = options.triedElsewhere(job);
          if (elsewhere) leftAlone.set(keys.relayJob(job.deliveryId, job.targetId), { deliveryId: job.deliveryId, targetId: job.targetId });
          return !elsewhere && !options.stopped();
        }),
      );
    };
    await takeUp(recheck);
    if (options.stopped()) return;
    await takeUp(await repo.newestJobRefs(pageSize));
    for (let pages = 0; pages < RESCAN_PAGES && !options.stopped(); pages++) {
      const page = await repo.jobRefsAfter(cursor, pageSize);
      await takeUp(page.refs, true);
      cursor = page.next;
      if (cursor === undefined) {
        options.recount(tally);
        startPass();
        break;
      }
    }
    recheck = [...leftAlone.values()].slice(0, options.bound);
  }

  function startPass(): void {
    tally = new Map();
    passed = undefined;
  }

  return {
    /** One rescan at a time: a slow store may make one outlast the 30 s between them. */
    rescan(): Promise<void> {
      rescanning ??= rescanPages().finally(() => (rescanning = undefined));
      return rescanning;
    },
    /** The job was left in the store only (1) or read back from it (-1): counted if the pass is past it. */
    moved(job: RelayRef, by: 1 | -1): void {
      if (passed !== undefined && keys.relayJob(job.deliveryId, job.targetId) <= passed) count(job.targetId, by);
    },
    /** The next rescan starts a pass from the queue's start (a start has just counted the whole queue). */
    restart(): void {
      cursor = undefined;
      startPass();
    },
  };
}
