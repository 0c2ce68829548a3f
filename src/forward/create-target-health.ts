import type { AlertService } from '../alerts/create-alert-service.ts';
import type { AlertSubject } from '../domain/alert.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import { describeAttempt, type RelayAttempt, type RelayJob } from '../domain/forward-target.ts';
import type { Logger } from '../logger.ts';
import type { TryResult } from './create-relay-try.ts';

/** Relay outcomes kept for notifications not yet sent: the newest this many deliveries. */
const OUTCOMES_KEPT = 2000;

type Stats = { tries: number; delivered: number; last?: string; late: number };
export type TargetHealth = ReturnType<typeof createTargetHealth>;

/**
 * What the tries say about each target: counts for `forward <endpoint>`, the outcome a notification
 * shows, and the one alert of a failing target, counted up while it fails and resolved, with how many
 * deliveries arrived late, once its queue has drained after a success.
 */
export function createTargetHealth(deps: { alerts: AlertService; now: () => number; logger: Logger }) {
  const { alerts, now, logger } = deps;
  const stats = new Map<string, Stats>();
  const outcomes = new Map<string, string[]>();
  /**
   * Failed tries per target not yet in its alert. While one update waits for its write, later failures
   * join it instead of queueing one write each: a target down under 200 deliveries/s fails faster than
   * writes commit, and a queue of one update per failure grew without bound.
   */
  const uncounted = new Map<string, { tries: number; line: string }>();
  /** Alert changes under way, so a stop waits for them before the store closes. */
  const changes = new Set<Promise<void>>();

  const subjectOf = (job: RelayJob): AlertSubject => ({ type: 'target', id: job.endpointId, target: job.targetId });

  function remember(deliveryId: string, outcome: string): void {
    outcomes.set(deliveryId, [...(outcomes.get(deliveryId) ?? []), outcome]);
    if (outcomes.size > OUTCOMES_KEPT) outcomes.delete(outcomes.keys().next().value!);
  }

  async function failing(job: RelayJob, endpoint: Endpoint, attempt: RelayAttempt, queued: number): Promise<void> {
    const line = `${attempt.url} ${describeAttempt(attempt).slice(3)}; ${queued} ${queued === 1 ? 'delivery waits' : 'deliveries wait'}`;
    const subject = subjectOf(job);
    if (alerts.find('target', subject)) {
      const joined = uncounted.get(job.targetId);
      if (joined) {
        joined.tries += 1;
        joined.line = line;
        return;
      }
      const failures = { tries: 1, line };
      uncounted.set(job.targetId, failures);
      try {
        return await alerts.update('target', subject, (alert) => {
          uncounted.delete(job.targetId);
          return { count: alert.count + failures.tries, message: failures.line };
        });
      } finally {
        // Not applied (the alert was resolved meanwhile): the next failure starts afresh.
        if (uncounted.get(job.targetId) === failures) uncounted.delete(job.targetId);
      }
    }
    await alerts.open({ kind: 'target', subject, subjectName: endpoint.name, chat: endpoint.owner, since: attempt.at, message: line, count: 1, muted: isMuted(endpoint, now()) });
  }

  async function recovered(job: RelayJob, target: Stats, queued: number): Promise<void> {
    const subject = subjectOf(job);
    if (!alerts.find('target', subject) || queued > 0) return;
    const late = target.late;
    target.late = 0;
    await alerts.resolve('target', subject, `${late} ${late === 1 ? 'delivery' : 'deliveries'} delivered late`);
  }

  return {
    onTry(job: RelayJob, endpoint: Endpoint, result: Exclude<TryResult, { kind: 'gone' }>, queued: number): void {
      const target = stats.get(job.targetId) ?? stats.set(job.targetId, { tries: 0, delivered: 0, late: 0 }).get(job.targetId)!;
      const outcome = describeAttempt(result.attempt);
      target.tries += 1;
      target.last = outcome;
      remember(job.deliveryId, outcome);
      if (result.kind === 'delivered') {
        target.delivered += 1;
        if (job.tries > 0) target.late += 1;
      }
      const change = (result.kind === 'delivered' ? recovered(job, target, queued) : failing(job, endpoint, result.attempt, queued)).catch((error: unknown) =>
        logger.error({ err: error, endpointId: job.endpointId }, 'could not update a forwarding alert'),
      );
      changes.add(change);
      void change.finally(() => changes.delete(change));
    },
    /** Waits for the alert changes of the tries told so far (a stop, after the worker's last try). */
    async settle(): Promise<void> {
      while (changes.size > 0) await Promise.all(changes);
    },
    /** `-> 200 in 38 ms` per target tried so far for the delivery, when known. */
    outcomesOf: (deliveryId: string): string[] => outcomes.get(deliveryId) ?? [],
    statsOf: (targetId: string): Readonly<Stats> | undefined => stats.get(targetId),
  };
}
