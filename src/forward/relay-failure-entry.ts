import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import { describeAttempt, type RelayAttempt, type RelayJob } from '../domain/forward-target.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';

/** What a burst summary counts a relay failure as. */
export const RELAY_FAILURE_LABEL = 'forwarding failed';

/** The chat message of a relay that failed for good (a final answer, or retries given up), as an outbox entry; none while muted. */
export function relayFailureEntry(job: RelayJob, endpoint: Endpoint, attempt: RelayAttempt, messageId: string, gaveUp: boolean): OutboxEntry | undefined {
  if (isMuted(endpoint, attempt.at)) return undefined;
  return {
    deliveryId: messageId,
    endpointId: endpoint.id,
    chat: endpoint.owner,
    label: RELAY_FAILURE_LABEL,
    relay: { deliveryId: job.deliveryId, url: attempt.url, outcome: `${describeAttempt(attempt)}${gaveUp ? `; gave up after ${job.tries + 1} tries` : ''}`, tries: job.tries + 1 },
  };
}
