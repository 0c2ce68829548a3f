import { forwardTargetSchema, relayAttemptSchema, relayJobSchema, type ForwardTarget, type RelayAttempt, type RelayJob } from '../domain/forward-target.ts';
import { findEntrySchema, type FindEntry, type RelayMark } from '../find/find-entry.ts';
import { markRelays } from '../find/mark-relays.ts';
import { createKeyedSerial } from '../shared/keyed-serial.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys } from './keys.ts';
import type { OutboxEntry } from './outbox-repository.ts';

export type ForwardRepository = ReturnType<typeof createForwardRepository>;

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

/** Forwarding targets, the durable relay queue, and every try made. */
export function createForwardRepository(store: KeyValueStore) {
  const serial = createKeyedSerial();

  /** The delivery's find entry with this relay marked; none when the delivery is gone. */
  async function markedFindEntry(job: RelayJob, settled: SettledTry): Promise<[string, FindEntry] | undefined> {
    const key = keys.findEntry(job.endpointId, job.deliveryId);
    const stored = await store.get(key);
    if (stored === undefined) return undefined;
    const { status, durationMs } = settled.attempt;
    const mark: RelayMark = { s: settled.retry ? 'pending' : settled.failed ? 'failed' : 'delivered', ...(status === undefined ? {} : { c: status, ms: durationMs }) };
    return [key, markRelays(findEntrySchema.parse(stored), { [job.targetId]: mark })];
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

    async pendingJobs(): Promise<RelayJob[]> {
      return (await store.scan(keys.relayJobs)).map((entry) => relayJobSchema.parse(entry.value));
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
     * One write, with the relay's mark in the delivery's find entry (not for a one-off replay to a URL). The
     * entry is read and rewritten, so the tries of one delivery's relays settle one at a time.
     */
    settle(job: RelayJob, settled: SettledTry): Promise<void> {
      return serial(job.deliveryId, async () => {
        const failure = keys.relayFailure(job.endpointId, job.deliveryId, job.targetId);
        const marked = job.once ? undefined : await markedFindEntry(job, settled);
        await store.write({
          delete: [...(settled.retry ? [] : [keys.relayJob(job.deliveryId, job.targetId)]), ...(settled.failed ? [] : [failure])],
          set: [
            [keys.relayAttempt(job.endpointId, job.deliveryId, settled.attemptId), settled.attempt],
            ...(settled.retry ? [[keys.relayJob(job.deliveryId, job.targetId), settled.retry] as [string, unknown]] : []),
            ...(settled.failed ? [[failure, job.url] as [string, unknown]] : []),
            ...(settled.message ? [[keys.outboxEntry(settled.message.deliveryId, settled.message.chat), settled.message] as [string, unknown]] : []),
            ...(marked ? [marked] : []),
          ],
        });
      });
    },

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
