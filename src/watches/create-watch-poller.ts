import type { Dispatcher } from 'undici';
import type { AlertService } from '../alerts/create-alert-service.ts';
import type { Delivery } from '../domain/delivery.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import type { DeliveryIdGenerator } from '../domain/ids.ts';
import type { Watch, WatchState } from '../domain/watch.ts';
import type { AgendaItem } from '../store/create-agenda.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import type { WatchRepository } from '../store/watch-repository.ts';
import { fingerprintAnswer } from './fingerprint-answer.ts';
import { nextPollAt, parseRetryAfter } from './next-poll-at.ts';
import { pollUrl, type PollResult } from './poll-url.ts';
import { readAnswer } from './read-answer.ts';

export interface WatchPollerOptions {
  repo: WatchRepository;
  endpoints: EndpointRepository;
  alerts: AlertService;
  agent: Dispatcher;
  /** WATCH_MAX_BYTES: more of an answer is not read, compared or stored. */
  maxBytes: number;
  timeoutMs: number;
  nextId: DeliveryIdGenerator;
  /** Hands a queued message to the dispatcher (it is already in the outbox). */
  enqueue: (entry: OutboxEntry) => void;
  /** After an answer is stored as a delivery (retention, the endpoint's own alerts). */
  onStored: (delivery: Delivery, endpoint: Endpoint) => void;
  now: () => number;
  /** The service is stopping: a poll cut short by it is no failure of the API. */
  stopping: () => boolean;
}

type Answered = Extract<PollResult, { kind: 'answer' }>;

/**
 * One poll of one watch and what follows from it: the first answer is the baseline, a different one a
 * change (stored as a delivery with its message, in one write), the same one nothing. An error status
 * or an unreachable API opens one alert, which the next good answer resolves. Each outcome books the
 * watch's next poll in the same write.
 */
export function createWatchPoller(options: WatchPollerOptions) {
  const { repo, endpoints, alerts, now } = options;

  async function fail(item: AgendaItem, watch: Watch, endpoint: Endpoint, state: WatchState, reason: string, patch: Partial<WatchState>, retryAfterMs?: number): Promise<void> {
    const at = now();
    const failures = state.failures + 1;
    const next = nextPollAt({ endpointId: watch.endpointId, everyMs: watch.everyMs, failures, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, at);
    await repo.record(item, next, { ...state, ...patch, polledAt: at, failures, error: reason });
    await alerts.open({ kind: 'failing', subject: { type: 'watch', id: watch.endpointId }, subjectName: endpoint.name, chat: endpoint.owner, since: at, message: reason, count: failures, muted: isMuted(endpoint, at) });
  }

  async function answered(item: AgendaItem, watch: Watch, endpoint: Endpoint, state: WatchState, result: Answered): Promise<void> {
    const at = now();
    const header = (name: string) => result.headers.find(([key]) => key.toLowerCase() === name)?.[1];
    const next = nextPollAt({ endpointId: watch.endpointId, everyMs: watch.everyMs, failures: 0 }, at);
    const fresh: WatchState = { ...state, status: result.status, polledAt: at, failures: 0, ...validators(header('etag'), header('last-modified')) };
    delete fresh.error;
    if (state.failures > 0) await alerts.resolve('failing', { type: 'watch', id: watch.endpointId }, `a poll answered ${result.status}`);
    if (result.status === 304) return repo.record(item, next, { ...fresh, ...validators(header('etag') ?? state.etag, header('last-modified') ?? state.lastModified) });
    const fingerprint = fingerprintAnswer(readAnswer(result.body), watch.ignore);
    const rebased = state.fingerprint !== undefined && (state.ignored ?? []).join('\n') !== watch.ignore.join('\n');
    if (fingerprint === state.fingerprint || rebased) return repo.record(item, next, { ...fresh, fingerprint, ignored: watch.ignore });
    const note = state.fingerprint === undefined ? 'baseline' : 'changed';
    const delivery: Delivery = {
      id: options.nextId(at),
      endpointId: endpoint.id,
      receivedAt: at,
      method: 'GET',
      subPath: '',
      query: '',
      headers: result.headers,
      body: result.body.toString('base64'),
      size: result.size,
      sourceIp: new URL(watch.url).host,
      analysis: { provider: 'watch', providerName: 'Watch', event: note, summary: `HTTP ${result.status}`, signature: { status: 'unsigned' } },
    };
    const message: OutboxEntry | undefined = isMuted(endpoint, at) ? undefined : { deliveryId: delivery.id, endpointId: endpoint.id, chat: endpoint.owner, watch: { note } };
    const stored = await endpoints.whileLive(endpoint.id, () => repo.record(item, next, { ...fresh, fingerprint, ignored: watch.ignore, changedAt: at }, { delivery, ...(message ? { message } : {}) }).then(() => true));
    if (!stored) return;
    if (message) options.enqueue(message);
    options.onStored(delivery, endpoint);
  }

  return async function pollWatch(item: AgendaItem, watch: Watch | undefined, state: WatchState): Promise<void> {
    const endpoint = watch && (await endpoints.get(watch.endpointId));
    if (!watch || !endpoint) {
      // Unwatched, or its endpoint deleted (the watch goes with it): no more polls.
      if (watch) await repo.remove(watch.endpointId);
      return repo.reschedule([{ check: item, next: undefined }]);
    }
    const result = await pollUrl({ url: watch.url, headers: watch.headers, ...validators(state.etag, state.lastModified) }, { agent: options.agent, maxBytes: options.maxBytes, timeoutMs: options.timeoutMs });
    // Cut short by the stop: the same poll stays due and runs on start.
    if (result.kind === 'failed' && options.stopping()) return;
    if (result.kind === 'failed') return fail(item, watch, endpoint, state, result.reason, {});
    const retryAfter = parseRetryAfter(result.headers.find(([key]) => key.toLowerCase() === 'retry-after')?.[1], now());
    // Told to slow down: waited out, not an outage.
    if (result.status === 429) {
      const failures = state.failures + 1;
      const next = nextPollAt({ endpointId: item.endpointId, everyMs: watch.everyMs, failures, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) }, now());
      return repo.record(item, next, { ...state, status: 429, polledAt: now(), failures });
    }
    if (result.status >= 300 && result.status !== 304) return fail(item, watch, endpoint, state, `answered ${result.status}${result.status < 400 ? ' (redirects are not followed: watch the new URL)' : ''}`, { status: result.status }, retryAfter);
    return answered(item, watch, endpoint, state, result);
  };
}

function validators(etag: string | undefined, lastModified: string | undefined): Pick<WatchState, 'etag' | 'lastModified'> {
  return { ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) };
}
