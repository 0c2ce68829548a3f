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
  /** Whether another process may be trying the job now (mayBeTriedElsewhere): it is left alone, and looked at again next time. */
  triedElsewhere: (job: RelayJob) => boolean;
  /** Whether the job is held in memory. */
  holds: (job: RelayRef) => boolean;
  /** Whether the job, in the store and not held, will be read back by its target's lane (some of its jobs wait there only). */
  readsBack: (job: RelayRef) => boolean;
  /** Queues stored jobs (up to each lane's bound; the rest are left in the store, counted, to be read back). */
  adopt: (load: () => Promise<RelayJob[]>) => Promise<void>;
  stopped: () => boolean;
}

/**
 * The leader's safety net for a job whose hand-over was lost (the process that stored it died before telling,
 * or the message was lost): looks over the stored queue's keys, a page at a time, and reads and queues only
 * the jobs neither held in memory nor left in the store to be read back by their lane. Each rescan reads the
 * newest page (a fresh relay's hand-over is found at once) and RESCAN_PAGES more on from where the last stopped,
 * and looks again at the jobs it left alone for the grace, so none waits a whole pass over a long queue.
 */
export function createRelayRescan(options: RelayRescanOptions) {
  const { repo, pageSize } = options;
  /** Where the next rescan reads on from (undefined: the queue's start). */
  let cursor: string | undefined;
  /** Jobs the last rescan left alone (another process's try may have been under way). */
  let recheck: RelayRef[] = [];
  let rescanning: Promise<void> | undefined;

  async function rescanPages(): Promise<void> {
    const leftAlone = new Map<string, RelayRef>();
    /** Reads and queues the jobs of these keys that nothing else will find; leaves alone those another process may be trying. */
    const takeUp = (refs: RelayRef[]) => {
      const lost = refs.filter((ref) => !options.holds(ref) && !options.readsBack(ref)).map((ref) => keys.relayJob(ref.deliveryId, ref.targetId));
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
      await takeUp(page.refs);
      cursor = page.next;
      if (cursor === undefined) break;
    }
    recheck = [...leftAlone.values()].slice(0, options.bound);
  }

  /** One rescan at a time: a slow store may make one outlast the 30 s between them. */
  return function rescan(): Promise<void> {
    rescanning ??= rescanPages().finally(() => (rescanning = undefined));
    return rescanning;
  };
}
