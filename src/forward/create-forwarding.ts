import { createHash } from 'node:crypto';
import type { AlertService } from '../alerts/create-alert-service.ts';
import type { Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { MAX_TARGETS_PER_ENDPOINT, type ForwardTarget, type RelayJob } from '../domain/forward-target.ts';
import { createDeliveryIdGenerator } from '../domain/ids.ts';
import { maskUrl } from '../domain/mask-url.ts';
import type { Logger } from '../logger.ts';
import { createOutboundAgent } from '../outbound/create-outbound-agent.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import { createForwardRepository } from '../store/forward-repository.ts';
import type { KeyValueStore } from '../store/key-value-store.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { checkTargetUrl } from './check-target-url.ts';
import type { TryResult } from './create-relay-try.ts';
import { createRelayWorker } from './create-relay-worker.ts';
import { createSaturation } from './create-saturation.ts';
import { createTargetHealth } from './create-target-health.ts';
import { relayFailureEntry } from './relay-failure-entry.ts';
import type { AlsoWritten, ForwardedAnswer } from '../http/receiver.ts';
import { syncAnswer } from './sync-answer.ts';

/** Tries in flight per target: enough to keep up with a fast target, little for a slow one to hold. */
export const MAX_IN_FLIGHT_PER_TARGET = 8;

export interface ForwardingOptions {
  store: KeyValueStore;
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  alerts: AlertService;
  /** Hands a relay's failure message (already in the outbox) to the dispatcher. */
  enqueue: (entry: OutboxEntry) => void;
  config: { PUBLIC_URL: string; FORWARD_ALLOW_PRIVATE: boolean; FORWARD_TIMEOUT_MS: number; FORWARD_RETRY_HOURS: number };
  baseRetryMs?: number;
  logger: Logger;
  now: () => number;
  /** When another process leads: tells it of these stored jobs, for it to send, and returns true. */
  handOff?: (jobs: RelayJob[]) => boolean;
  /** This process's id slot, when there are several (cluster). */
  idSlot?: () => number | undefined;
  /** Tells the other processes that these endpoints' targets changed. */
  tell?: (endpointIds: string[]) => void;
}

export type Forwarding = ReturnType<typeof createForwarding>;

/** Forwarding (spec section 4): targets, the relay jobs written with each delivery, the worker, replay. */
export function createForwarding(options: ForwardingOptions) {
  const { config, now } = options;
  const logger = options.logger.child({ component: 'forward' });
  const repo = createForwardRepository(options.store);
  const nextId = createDeliveryIdGenerator(options.idSlot);
  const agent = createOutboundAgent({ allowPrivate: config.FORWARD_ALLOW_PRIVATE, connectionsPerOrigin: MAX_IN_FLIGHT_PER_TARGET });
  const health = createTargetHealth({ alerts: options.alerts, now, logger });
  const worker = createRelayWorker({
    repo,
    deliveries: options.deliveries,
    endpoints: options.endpoints,
    agent,
    publicUrl: config.PUBLIC_URL,
    timeoutMs: config.FORWARD_TIMEOUT_MS,
    retryForMs: config.FORWARD_RETRY_HOURS * 3_600_000,
    baseRetryMs: options.baseRetryMs ?? 1000,
    maxInFlight: MAX_IN_FLIGHT_PER_TARGET,
    saturated: createSaturation(),
    nextId,
    now,
    logger,
    failureMessage: relayFailureEntry,
    onTry: health.onTry,
    enqueue: options.enqueue,
    ...(options.handOff ? { handOff: (job: RelayJob) => options.handOff!([job]) } : {}),
  });
  /** Targets by endpoint, read once at start: the receiver asks for every delivery. */
  const targets = new Map<string, ForwardTarget[]>();

  const jobFor = (delivery: Delivery, target: Pick<ForwardTarget, 'id' | 'url'>, extra: Partial<RelayJob> = {}): RelayJob => ({
    deliveryId: delivery.id,
    endpointId: delivery.endpointId,
    targetId: target.id,
    url: target.url,
    tries: 0,
    since: now(),
    ...extra,
  });

  return {
    repo,
    health,
    queued: worker.queued,
    failing: worker.failing,
    targetsOf: (endpointId: string): ForwardTarget[] => targets.get(endpointId) ?? [],

    /**
     * The receiver's hook: the delivery's relay jobs, to be written in its own commit, and their start once
     * durable, which for a sync target gives the answer its sender is to get.
     */
    relayWrites(delivery: Delivery, endpoint: Endpoint): AlsoWritten | undefined {
      const mine = targets.get(delivery.endpointId);
      if (!mine || mine.length === 0) return undefined;
      const jobs = mine.map((target) => jobFor(delivery, target, { since: delivery.receivedAt, ...(target.sync ? { sync: true } : {}) }));
      const stored = () => {
        let answer: Promise<ForwardedAnswer> | undefined;
        // A sync relay's try is this process's, whichever leads: its sender waits here for the answer.
        const handedOff = options.handOff?.(jobs.filter((job) => !job.sync)) === true;
        for (const job of handedOff ? jobs.filter((job) => job.sync) : jobs) {
          if (job.sync) answer = worker.add(job, { delivery, endpoint }).then((result) => syncAnswer(result, delivery.id));
          else worker.queue(job, { delivery, endpoint });
        }
        return answer;
      };
      return { entries: jobs.map(repo.jobEntry), relayTargets: mine.map((target) => target.id), stored };
    },

    /** Adds a target, or says why not (a bad or private URL, too many targets). */
    async addTarget(endpoint: Endpoint, url: string, sync = false): Promise<{ target: ForwardTarget } | { refusal: string }> {
      const mine = targets.get(endpoint.id) ?? [];
      const syncTarget = mine.find((target) => target.sync);
      if (sync && syncTarget) return { refusal: `${endpoint.name} already answers its senders from ${maskUrl(syncTarget.url)}: one sync target per endpoint.` };
      if (mine.some((target) => target.url === url)) return { refusal: `${endpoint.name} already forwards there.` };
      if (mine.length >= MAX_TARGETS_PER_ENDPOINT) return { refusal: `${endpoint.name} already forwards to ${MAX_TARGETS_PER_ENDPOINT} targets, the most an endpoint can have: remove one first.` };
      const refusal = await checkTargetUrl(url, config.FORWARD_ALLOW_PRIVATE);
      if (refusal) return { refusal };
      const target: ForwardTarget = { id: nextId(now()), endpointId: endpoint.id, url, addedAt: now(), ...(sync ? { sync } : {}) };
      await repo.addTarget(target);
      targets.set(endpoint.id, [...mine, target]);
      options.tell?.([endpoint.id]);
      return { target };
    },

    async removeTargets(endpoint: Endpoint, removed: ForwardTarget[]): Promise<void> {
      await repo.removeTargets(removed);
      targets.set(endpoint.id, (targets.get(endpoint.id) ?? []).filter((target) => !removed.includes(target)));
      options.tell?.([endpoint.id]);
    },

    /** Another process changed these endpoints' targets: read them again. */
    async reloadTargets(endpointIds: string[]): Promise<void> {
      for (const id of endpointIds) targets.set(id, await repo.targetsOf(id));
    },

    /**
     * Sends the stored delivery again now, to the endpoint's targets or to `url` once; resolves with each first try.
     * Its jobs are booked due now (a fresh relay's due time is unset): this process makes their first try, and so the
     * leader's reads of the stored queue leave them alone meanwhile (triedElsewhereUntil).
     */
    async replay(delivery: Delivery, url?: string): Promise<{ results: Array<{ url: string; result: TryResult }> } | { refusal: string }> {
      const refusal = url === undefined ? undefined : await checkTargetUrl(url, config.FORWARD_ALLOW_PRIVATE);
      if (refusal) return { refusal };
      const jobs = url === undefined
        ? (targets.get(delivery.endpointId) ?? []).map((target) => jobFor(delivery, target, { dueAt: now() }))
        : [jobFor(delivery, { id: `once-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`, url }, { once: true, dueAt: now() })];
      await repo.saveJobs(jobs);
      return { results: await Promise.all(jobs.map(async (job) => ({ url: job.url, result: await worker.add(job, undefined, true) }))) };
    },

    /** Sends again every relay of the endpoint that failed for good, a target's worth at a time; counts how they went. */
    async redrive(endpoint: Endpoint): Promise<{ delivered: number; failed: number; skipped: number }> {
      const tally = { delivered: 0, failed: 0, skipped: 0 };
      const failures = await repo.failures(endpoint.id);
      for (let start = 0; start < failures.length; start += MAX_IN_FLIGHT_PER_TARGET) {
        await Promise.all(
          failures.slice(start, start + MAX_IN_FLIGHT_PER_TARGET).map(async ({ deliveryId, targetId }) => {
            const target = targets.get(endpoint.id)?.find((candidate) => candidate.id === targetId);
            const delivery = target && (await options.deliveries.get({ endpointId: endpoint.id, deliveryId }));
            if (!target || !delivery) return void (tally.skipped += 1);
            // Booked due now, as replay's: tried here first.
            const job = jobFor(delivery, target, { dueAt: now() });
            await repo.saveJobs([job]);
            const { kind } = await worker.add(job, undefined, true);
            if (kind === 'delivered') tally.delivered += 1;
            else tally.failed += 1;
          }),
        );
      }
      return tally;
    },

    /** Every process: the targets, which the receiver asks about for every delivery. */
    async loadTargets(): Promise<void> {
      for (const target of await repo.allTargets()) targets.set(target.endpointId, [...(targets.get(target.endpointId) ?? []), target]);
    },

    /** The leader's: the stored relay queue, the jobs other processes hand over, and rescans for lost hand-overs. */
    worker: {
      start: worker.resume,
      adopt: (jobKeys: string[]) => worker.adopt(() => repo.jobsAt(jobKeys)),
      rescan: worker.rescan,
      stop: worker.stop,
    },

    async stop(): Promise<void> {
      await worker.stop();
      await health.settle();
      await agent.close();
    },
  };
}
