import type { RelayJob } from '../domain/forward-target.ts';
import { isRetryable, retryDelay } from './retry-delay.ts';
import type { RelayAnswer } from './send-relay.ts';

/**
 * Where a try leaves its relay. `retryAt`: when a failure of the target (not of the delivery) would be
 * tried again, for its breaker.
 */
export type Judgement = ({ kind: 'delivered' } | { kind: 'final'; expired: boolean } | { kind: 'retry'; next: RelayJob }) & { retryAt?: number };

export interface RetryPolicy {
  /** FORWARD_RETRY_HOURS in ms: a relay still failing this long after its first try fails for good. */
  retryForMs: number;
  baseRetryMs: number;
}

/** Delivered on 2xx; retried on no answer, 408, 429, 5xx until FORWARD_RETRY_HOURS are up; else final. */
export function judgeAnswer(job: RelayJob, answer: RelayAnswer, at: number, policy: RetryPolicy): Judgement {
  if (answer.kind === 'answered' && answer.status >= 200 && answer.status < 300) return { kind: 'delivered' };
  const retryable = answer.kind === 'failed' ? !answer.blocked : isRetryable(answer.status);
  if (!retryable) return { kind: 'final', expired: false };
  const retryAt = at + answer.durationMs + retryDelay(job.tries + 1, answer.kind === 'answered' ? answer.retryAfterMs : undefined, policy.baseRetryMs);
  if (job.once || job.sync) return { kind: 'final', expired: false, retryAt };
  if (retryAt > job.since + policy.retryForMs) return { kind: 'final', expired: true, retryAt };
  return { kind: 'retry', next: { ...job, tries: job.tries + 1, dueAt: retryAt }, retryAt };
}
