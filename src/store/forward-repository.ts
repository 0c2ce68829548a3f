import { forwardTargetSchema, relayAttemptSchema, relayJobSchema, type ForwardTarget, type RelayAttempt, type RelayJob } from '../domain/forward-target.ts';
import { findEntrySchema, type FindEntry, type RelayMark } from '../find/find-entry.ts';
import { markRelays } from '../find/mark-relays.ts';
import type { Delivery } from '../domain/delivery.ts';
import { decodeDelivery } from './delivery-codec.ts';
import { createGroupCommit } from './group-commit.ts';
import type { KeyValueStore, ScanEntry } from './key-value-store.ts';
import { keys } from './keys.ts';
import type { OutboxEntry } from './outbox-repository.ts';

export type ForwardRepository = ReturnType<typeof createForwardRepository>;

/** A queued relay job by its key: which delivery, to which target. */
export type RelayRef = Pick<RelayJob, 'deliveryId' | 'targetId'>;

/** What a settled try changes, in one write: the job (kept for a retry, or gone), the failure index, a chat message. */
export interface SettledTry {
  attemptId: string;
  attempt: RelayAttempt;
  /** The job with its next try booked; undefined: the job is settled and leaves the queue. */
  retry?: RelayJob;
  /** Whether the relay now stands failed for good (indexed for `replay <endpoint> failed`) or delivered (unindexed). */
  failed: boolean;
  message?: OutboxEntry;
}

/**
 * Tries settled at most in one write: one read of their find entries and one write op, a bounded
 * transaction (the store's commit holds up to 1,000 ops of which this is one).
 */
const SETTLED_PER_WRITE = 500;

/** Forwarding targets, the durable relay queue, and every try made. */
export function createForwardRepository(store: KeyValueStore) {
  /**
   * Writes the tries settled since the last write, all at once: a relay's own settle cost a read of its
   * delivery's find entry and a write, more than the relay's request itself (README, Forwarding bench).
   * One batch at a time, so each find entry read is still as stored when its marks are written.
   */
  const settleTogether = createGroupCommit(settleAll, SETTLED_PER_WRITE);

  async function settleAll(tries: Array<[RelayJob, SettledTry]>): Promise<void> {
    const marks = new Map<string, Record<string, RelayMark>>();
    for (const [job, settled] of tries.filter(([job]) => !job.once)) {
      const key = keys.findEntry(job.endpointId, job.deliveryId);
      marks.set(key, { ...marks.get(key), [job.targetId]: markOf(settled) });
    }
    const entryKeys = [...marks.keys()];
    const stored = entryKeys.length === 0 ? [] : await store.getMany(entryKeys);
    // No entry: the delivery is gone (retention or delete took it while the try ran), and so is what would be
    // marked; its try leaves nothing behind but the job's removal, rather than rows naming a removed delivery.
    const gone = new Set(entryKeys.filter((_key, i) => stored[i] === undefined));
    const marked = entryKeys.flatMap((key, i): Array<[string, FindEntry]> => (gone.has(key) ? [] : [[key, markRelays(findEntrySchema.parse(stored[i]), marks.get(key)!)]]));
    const recorded = tries.filter(([job]) => job.once || !gone.has(keys.findEntry(job.endpointId, job.deliveryId)));
    const recordedJobs = new Set(recorded.map(([job]) => job));
    await store.write({
      delete: tries.flatMap(([job, settled]) => [
        ...(settled.retry && recordedJobs.has(job) ? [] : [keys.relayJob(job.deliveryId, job.targetId)]),
        ...(settled.failed ? [] : [keys.relayFailure(job.endpointId, job.deliveryId, job.targetId)]),
      ]),
      set: [...recorded.flatMap(([job, settled]) => settledRows(job, settled)), ...marked],
    });
  }

  /** Up to `limit` rows of the queue after the key `after`; `next`: the last one's key, while more follow. */
  async function pageAfter(after: string | undefined, limit: number, keysOnly: boolean): Promise<{ rows: ScanEntry[]; next?: string }> {
    // From `after` itself (the store's `from` is inclusive), one more than asked: it is left out.
    const rows = await store.scan(keys.relayJobs, { limit: limit + 1, keysOnly, ...(after === undefined ? {} : { from: after.slice(keys.relayJobs.length) }) });
    const page = rows.filter((row) => row.key !== after).slice(0, limit);
    return { rows: page, ...(rows.length > limit ? { next: page.at(-1)!.key } : {}) };
  }

  return {
    async allTargets(): Promise<ForwardTarget[]> {
      return (await store.scan(keys.forwardTargets)).map((entry) => forwardTargetSchema.parse(entry.value));
    },

    async targetsOf(endpointId: string): Promise<ForwardTarget[]> {
      return (await store.scan(keys.endpointTargets(endpointId))).map((entry) => forwardTargetSchema.parse(entry.value));
    },

    async addTarget(target: ForwardTarget): Promise<void> {
      await store.write({ set: [[keys.forwardTarget(target.endpointId, target.id), target]] });
    },

    async removeTargets(targets: ForwardTarget[]): Promise<void> {
      await store.write({ delete: targets.map((target) => keys.forwardTarget(target.endpointId, target.id)) });
    },

    /** The relay job's key and value, for a write that also stores its delivery. */
    jobEntry: (job: RelayJob): [string, RelayJob] => [keys.relayJob(job.deliveryId, job.targetId), job],

    async saveJobs(jobs: RelayJob[]): Promise<void> {
      await store.write({ set: jobs.map((job): [string, RelayJob] => [keys.relayJob(job.deliveryId, job.targetId), job]) });
    },

    /**
     * Up to `limit` queued jobs in key order (oldest delivery first), after the key `after` (undefined: from the
     * first); `next`: the key to read on from, undefined once the queue's end is read.
     */
    async jobsAfter(after: string | undefined, limit: number): Promise<{ jobs: RelayJob[]; next?: string }> {
      const { rows, next } = await pageAfter(after, limit, false);
      return { jobs: rows.map((row) => relayJobSchema.parse(row.value)), ...(next === undefined ? {} : { next }) };
    },

    /** As jobsAfter, the jobs' keys only (which delivery, which target): a look over the queue that reads no job. */
    async jobRefsAfter(after: string | undefined, limit: number): Promise<{ refs: RelayRef[]; next?: string }> {
      const { rows, next } = await pageAfter(after, limit, true);
      return { refs: rows.map((row) => refOf(row.key)), ...(next === undefined ? {} : { next }) };
    },

    /** The keys of the last `limit` jobs queued (the newest deliveries'), newest first. */
    async newestJobRefs(limit: number): Promise<RelayRef[]> {
      return (await store.scan(keys.relayJobs, { keysOnly: true, reverse: true, limit })).map((row) => refOf(row.key));
    },

    /** The jobs' deliveries in one read (undefined: gone), for relays read back from the queue. */
    async deliveriesOf(jobs: RelayJob[]): Promise<Array<Delivery | undefined>> {
      const stored = jobs.length === 0 ? [] : await store.getMany(jobs.map((job) => keys.delivery(job.endpointId, job.deliveryId)));
      return stored.map((value) => (value === undefined ? undefined : decodeDelivery(value)));
    },

    /** The delivery's relays still queued (to be tried, or tried again), by target. */
    async queuedJobs(deliveryId: string): Promise<RelayJob[]> {
      return (await store.scan(keys.deliveryRelayJobs(deliveryId))).map((entry) => relayJobSchema.parse(entry.value));
    },

    /** The jobs stored under these keys (another process's), those still there. */
    async jobsAt(jobKeys: string[]): Promise<RelayJob[]> {
      return (await store.getMany(jobKeys)).flatMap((value) => (value === undefined ? [] : [relayJobSchema.parse(value)]));
    },

    async dropJob(job: RelayJob): Promise<void> {
      await store.write({ delete: [keys.relayJob(job.deliveryId, job.targetId)] });
    },

    /**
     * Records a try (its attempt, the job kept or gone, the failure index, a chat message) and marks the relay in
     * the delivery's find entry (not for a one-off replay to a URL), in one write shared with the tries settled
     * at the same time.
     */
    settle: (job: RelayJob, settled: SettledTry): Promise<void> => settleTogether([[job, settled]]),

    async attempts(ref: { endpointId: string; deliveryId: string }): Promise<RelayAttempt[]> {
      return (await store.scan(keys.relayAttempts(ref.endpointId, ref.deliveryId))).map((entry) => relayAttemptSchema.parse(entry.value));
    },

    /** The endpoint's relays that failed for good and were not delivered since, oldest delivery first. */
    async failures(endpointId: string): Promise<Array<{ deliveryId: string; targetId: string }>> {
      const prefix = keys.relayFailures(endpointId);
      return (await store.scan(prefix, { keysOnly: true })).map((entry) => {
        const [deliveryId = '', targetId = ''] = entry.key.slice(prefix.length).split(':');
        return { deliveryId, targetId };
      });
    },
  };
}

/** The delivery and target a relay job's key names (`relay:<delivery>:<target>`; neither holds a colon). */
function refOf(key: string): RelayRef {
  const [deliveryId = '', targetId = ''] = key.slice(keys.relayJobs.length).split(':');
  return { deliveryId, targetId };
}

/** The relay's mark in its delivery's find entry after this try: where it stands, and the answer's status and time. */
function markOf(settled: SettledTry): RelayMark {
  const { status, durationMs } = settled.attempt;
  return { s: settled.retry ? 'pending' : settled.failed ? 'failed' : 'delivered', ...(status === undefined ? {} : { c: status, ms: durationMs }) };
}

/** The rows a try sets: its attempt, the job booked again, the failure index, the chat message. */
function settledRows(job: RelayJob, settled: SettledTry): Array<[string, unknown]> {
  return [
    [keys.relayAttempt(job.endpointId, job.deliveryId, settled.attemptId), settled.attempt],
    ...(settled.retry ? [[keys.relayJob(job.deliveryId, job.targetId), settled.retry] as [string, unknown]] : []),
    ...(settled.failed ? [[keys.relayFailure(job.endpointId, job.deliveryId, job.targetId), job.url] as [string, unknown]] : []),
    ...(settled.message ? [[keys.outboxEntry(settled.message.deliveryId, settled.message.chat), settled.message] as [string, unknown]] : []),
  ];
}
