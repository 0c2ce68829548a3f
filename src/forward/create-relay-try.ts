import type { Dispatcher } from 'undici';
import type { Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import type { RelayAttempt, RelayJob } from '../domain/forward-target.ts';
import type { DeliveryIdGenerator } from '../domain/ids.ts';
import { maskUrl } from '../domain/mask-url.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { ForwardRepository } from '../store/forward-repository.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { buildRelayRequest } from './build-relay-request.ts';
import { judgeAnswer, type RetryPolicy } from './judge-answer.ts';
import { sendRelay, type RelayAnswer } from './send-relay.ts';

/** How a try ended: delivered (2xx), to be tried again, failed for good, or moot (delivery or endpoint gone). */
export type TryResult = { kind: 'delivered' | 'final'; attempt: RelayAttempt; answer: RelayAnswer } | { kind: 'retry'; attempt: RelayAttempt; answer: RelayAnswer; next: RelayJob } | { kind: 'gone' };

/** What a fresh job's first try can use without reading the store (the receiver has both at hand). */
export type Preloaded = { delivery: Delivery; endpoint: Endpoint };

/** The largest answer a sync target may give: it is held in memory to be passed on to the sender. */
export const SYNC_ANSWER_MAX_BYTES = 1_048_576;

export interface RelayTryOptions extends RetryPolicy {
  repo: ForwardRepository;
  deliveries: DeliveryRepository;
  endpoints: EndpointRepository;
  agent: Dispatcher;
  publicUrl: string;
  timeoutMs: number;
  nextId: DeliveryIdGenerator;
  now: () => number;
  /** The chat message telling a relay's final failure, written with the try (undefined: not told, e.g. muted). */
  failureMessage: (job: RelayJob, endpoint: Endpoint, attempt: RelayAttempt, messageId: string, gaveUp: boolean) => OutboxEntry | undefined;
  /** After each settled try, with the jobs of its target still queued. */
  onTry: (job: RelayJob, endpoint: Endpoint, result: Exclude<TryResult, { kind: 'gone' }>, queued: number) => void;
  /** Hands a stored failure message to the dispatcher. */
  enqueue: (entry: OutboxEntry) => void;
}

/** What the try asks of the queue it runs in. */
export interface TryHooks {
  /** The target's answer is judged: `retryAt` (a failure of the target) or undefined (it answered), for its breaker. */
  judged: (job: RelayJob, retryAt: number | undefined) => void;
  /** Jobs of the target still queued, besides the one settling now. */
  queuedBesides: (targetId: string) => number;
}

/**
 * One try of a stored relay job: sends it, judges the answer, and records the outcome (the attempt, the job
 * booked again or gone, the failure index, a chat message telling a final failure) in one write.
 */
export function createRelayTry(options: RelayTryOptions, hooks: TryHooks) {
  const { repo, now } = options;

  /** `answered`: called once the target has answered, before the outcome is recorded. */
  return async function tryRelay(job: RelayJob, preloaded: Preloaded | undefined, answered: () => void): Promise<TryResult> {
    const [delivery, endpoint] = preloaded ? [preloaded.delivery, preloaded.endpoint] : await Promise.all([options.deliveries.get(job), options.endpoints.findById(job.endpointId)]);
    if (!delivery || !endpoint) {
      await repo.dropJob(job);
      return { kind: 'gone' };
    }
    const at = now();
    const answer = await sendRelay(buildRelayRequest(delivery, job.url, options.publicUrl), { agent: options.agent, timeoutMs: options.timeoutMs, now, ...(job.sync ? { keepBodyBytes: SYNC_ANSWER_MAX_BYTES } : {}) });
    const attempt = attemptOf(job, at, answer);
    const settled = judgeAnswer(job, answer, at, options);
    hooks.judged(job, settled.retryAt);
    answered();
    // A sync sender was given the failure and retries on its own: its tries are not told one by one.
    const message = settled.kind === 'final' && !job.once && !job.sync ? options.failureMessage(job, endpoint, attempt, options.nextId(at), settled.expired) : undefined;
    await repo.settle(job, { attemptId: options.nextId(at), attempt, ...(settled.kind === 'retry' ? { retry: settled.next } : {}), failed: settled.kind === 'final' && !job.once, ...(message ? { message } : {}) });
    if (message) options.enqueue(message);
    const result: TryResult = settled.kind === 'retry' ? { kind: 'retry', attempt, answer, next: settled.next } : { kind: settled.kind, attempt, answer };
    // A job to be retried still waits, besides the others of its target.
    if (!job.once) options.onTry(job, endpoint, result, hooks.queuedBesides(job.targetId) + (result.kind === 'retry' ? 1 : 0));
    return result;
  };
}

function attemptOf(job: RelayJob, at: number, answer: RelayAnswer): RelayAttempt {
  const common = { at, targetId: job.targetId, url: maskUrl(job.url), durationMs: answer.durationMs };
  return answer.kind === 'answered'
    ? { ...common, status: answer.status, headers: answer.headers, excerpt: answer.excerpt }
    : { ...common, error: answer.error, headers: [], excerpt: '' };
}
