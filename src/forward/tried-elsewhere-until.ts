import type { RelayJob } from '../domain/forward-target.ts';

/**
 * How long past a try's own timeout a job due for a first try elsewhere is left alone: the other process
 * may have started its try late (its event loop busy) or be writing its record.
 */
export const RESCAN_GRACE_MS = 5000;

/**
 * Until when another process may be making this job's try (undefined: none does), so the leader's reads of the stored
 * queue (its start, its rescan, a lane's read-back) must leave the job alone, or the target would get it twice. Only the
 * process that waits for an answer tries a job itself: a sync relay's first try, and a replay's (`replay` books it due
 * at once, where a fresh relay's due time is unset). Every other job is the leader's alone: a fresh relay is handed over
 * to it, a retry is booked only once its try is recorded. Such a job is left alone while due within the try's timeout
 * and the grace.
 */
export function triedElsewhereUntil(job: RelayJob, timeoutMs: number): number | undefined {
  const triedByItsWaiter = job.sync === true || (job.tries === 0 && job.dueAt !== undefined);
  return triedByItsWaiter ? (job.dueAt ?? job.since) + timeoutMs + RESCAN_GRACE_MS : undefined;
}
