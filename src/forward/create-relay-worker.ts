import type { Dispatcher } from 'undici';
import type { Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { type RelayAttempt, type RelayJob } from '../domain/forward-target.ts';
import type { DeliveryIdGenerator } from '../domain/ids.ts';
import { maskUrl } from '../domain/mask-url.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { ForwardRepository } from '../store/forward-repository.ts';
import { keys } from '../store/keys.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { createQueueReads } from '../shared/create-queue-reads.ts';
import { buildRelayRequest } from './build-relay-request.ts';
import { createTargetBreaker, type TargetBreaker } from './create-target-breaker.ts';
import { isRetryable, retryDelay } from './retry-delay.ts';
import { sendRelay, type RelayAnswer } from './send-relay.ts';

/** How a try ended: delivered (2xx), to be tried again, failed for good, or moot (delivery or endpoint gone). */
export type TryResult = { kind: 'delivered' | 'final'; attempt: RelayAttempt; answer: RelayAnswer } | { kind: 'retry'; attempt: RelayAttempt; answer: RelayAnswer; next: RelayJob } | { kind: 'gone' };

/** The largest answer a sync target may give: it is held in memory to be passed on to the sender. */
export const SYNC_ANSWER_MAX_BYTES = 1_048_576;

export interface RelayWorkerOptions {
  repo: ForwardRepository;
  deliveries: DeliveryRepository;
  endpoints: EndpointRepository;
  agent: Dispatcher;
  publicUrl: string;
  timeoutMs: number;
  /** FORWARD_RETRY_HOURS in ms: a relay still failing this long after its first try fails for good. */
  retryForMs: number;
  baseRetryMs: number;
  /** Tries in flight per target at most: a slow target holds no more than this of anything. */
  maxInFlight: number;
  /**
   * Whether the process is saturated (createSaturation): queued relays then keep to SATURATED_IN_FLIGHT per target,
   * so the CPU goes to answering senders first, and catch up once it is not. Sync relays and replays are not held back.
   */
  saturated?: () => boolean;
  nextId: DeliveryIdGenerator;
  now: () => number;
  logger: Logger;
  /** The chat message telling a relay's final failure, written with the try (undefined: not told, e.g. muted). */
  failureMessage: (job: RelayJob, endpoint: Endpoint, attempt: RelayAttempt, messageId: string, gaveUp: boolean) => OutboxEntry | undefined;
  /** After each settled try, with the jobs of its target still queued. */
  onTry: (job: RelayJob, endpoint: Endpoint, result: Exclude<TryResult, { kind: 'gone' }>, queued: number) => void;
  /** Hands a stored failure message to the dispatcher. */
  enqueue: (entry: OutboxEntry) => void;
  /**
   * Another process leads and makes every try but the first ones this process waits for (sync relays,
   * replays): a job to be retried is told to it (true) instead of kept here.
   */
  handOff?: (job: RelayJob) => boolean;
  /** Jobs held in memory per target at most (MAX_QUEUED_PER_TARGET); the rest wait in the store only. */
  maxQueuedPerTarget?: number;
}

/** What a fresh job's first try can use without reading the store (the receiver has both at hand). */
export type Preloaded = { delivery: Delivery; endpoint: Endpoint };
type Queued = { job: RelayJob; waiters: Array<(result: TryResult) => void>; timer?: NodeJS.Timeout; preloaded?: Preloaded };

/**
 * Bytes of preloaded deliveries the queue holds at most, over all targets. Within it a fresh job is sent
 * from the delivery and endpoint the receiver handed over (reading them back cost two statements a relay:
 * 14,000 reads for 7,000 deliveries in the bench, once the queue passed the 64 jobs the bound used to be); beyond it,
 * and for retries, a job holds its ids only and reads the delivery when tried: a backlog costs ids, not bodies.
 */
export const PRELOAD_BUDGET_BYTES = 16 * 1024 * 1024;

/**
 * Queued tries in flight per target while the process is saturated. A relay costs about what storing its delivery
 * does: sent at the full bound under a burst, relays took half the CPU the receiver needed (README, Forwarding bench).
 * One still in flight keeps the lane going: its end asks again, and the full bound returns with the CPU.
 */
export const SATURATED_IN_FLIGHT = 1;

/**
 * Queued jobs a target's lane holds in memory at most (about 2 KB each: 4 MB a target). Per target, so a dead
 * target's backlog never takes the place of a live one's. At 200 deliveries/s it is 10 s of relays, and the lane
 * reads the next ones back from the store (in key order, oldest first) once it is down to half: a target that
 * keeps up never waits on that read. A day-long outage then costs the store, not the process (~17 million jobs).
 */
export const MAX_QUEUED_PER_TARGET = 2000;

/** What a preloaded delivery holds in memory, near enough: its body (base64) and header text. */
const sizeOf = ({ delivery }: Preloaded) => delivery.body.length + delivery.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
/**
 * A target's jobs: `ready` (due; held while the breaker is open, each with a timer at its deadline),
 * `waiting` (on a retry timer), `urgent` (tried whatever the breaker says: sync relays, replays, and a
 * held job's last try at its deadline), tries in flight, and tries answered whose record is being written.
 */
type Lane = { ready: Queued[]; waiting: Map<string, Queued>; urgent: Queued[]; inFlight: number; recording: number; breaker: TargetBreaker; probeTimer?: NodeJS.Timeout; store: StoredOnly };
/**
 * The lane's jobs left in the store only (its bound reached). `spilled`: some may be; `left`: how many, as far as
 * known (for `forward`'s count). The lane reads them back from `cursor` on, in key order; a pass over the whole
 * queue with no job left behind since it began (`leftInPass`) finds them all, and `spilled` is cleared.
 */
type StoredOnly = { spilled: boolean; left: number; cursor?: string; leftInPass: boolean; reading: boolean };

/** Node's longest timer (about 24.8 days; a longer one fires at once), shorter than FORWARD_RETRY_HOURS may be (720). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

const jobKey = (job: RelayJob) => `${job.deliveryId}:${job.targetId}`;
/**
 * A rescan leaves alone a job due this recently, beyond the try's own timeout: another process may be
 * making its first try (a sync relay, a replay) right now.
 */
const RESCAN_GRACE_MS = 5000;

/**
 * Sends the relay queue: each job is already stored (with its delivery, or by replay), so a crash at
 * any point leaves it to the next start, which sends it again (at least once; the target tells repeats
 * by `X-Hookwatch-Delivery`). Per target, a bounded number in flight; retries wait their backoff on a
 * timer, and the first success after failures wakes the target's waiting jobs so a backlog drains at once.
 * While a target keeps failing, its breaker holds its jobs (unread, untried) behind one probe at a time: an
 * outage costs a try per backoff, not one per waiting relay. A target's lane holds MAX_QUEUED_PER_TARGET jobs in
 * memory at most: beyond it they stay stored only, read back in key order (oldest first) as the lane drains.
 */
export function createRelayWorker(options: RelayWorkerOptions) {
  const { repo, now, logger } = options;
  const bound = options.maxQueuedPerTarget ?? MAX_QUEUED_PER_TARGET;
  /** Jobs read from the store at once: half the bound, what a lane has room for when it reads back. */
  const pageSize = Math.max(1, Math.floor(bound / 2));
  const lanes = new Map<string, Lane>();
  const jobs = new Map<string, Queued>();
  const running = new Set<Promise<void>>();
  const reads = createQueueReads();
  let preloadedBytes = 0;
  let walking: Promise<void> | undefined;
  let stopped = false;

  const laneOf = (targetId: string) =>
    lanes.get(targetId) ??
    lanes.set(targetId, { ready: [], waiting: new Map(), urgent: [], inFlight: 0, recording: 0, breaker: createTargetBreaker(), store: { spilled: false, left: 0, leftInPass: false, reading: false } }).get(targetId)!;

  /**
   * Queues a stored job and resolves with the outcome of its next try: its caller waits, so it is held whatever
   * the bound (sync relays, replays). A job already queued is made due now. `urgent` (a user's replay; sync
   * relays always): tried at once, even while the target's breaker is open.
   */
  function add(job: RelayJob, preloaded?: Preloaded, urgent = false): Promise<TryResult> {
    return new Promise((resolve) => enter(job, preloaded, urgent, resolve));
  }

  /** Queues a stored job nobody waits for; with its lane at its bound, it is left in the store, to be read back in turn. */
  function queue(job: RelayJob, preloaded?: Preloaded): void {
    const lane = laneOf(job.targetId);
    if (jobs.has(jobKey(job)) || job.sync || job.once || count(lane) < bound) return enter(job, preloaded, false);
    lane.store.left += 1;
    lane.store.spilled = true;
    lane.store.leftInPass = true;
  }

  function enter(job: RelayJob, preloaded: Preloaded | undefined, urgent: boolean, resolve?: (result: TryResult) => void): void {
    const key = jobKey(job);
    const lane = laneOf(job.targetId);
    const known = jobs.get(key);
    if (known) {
      if (resolve) known.waiters.push(resolve);
      if (urgent) hurry(lane, known);
      else if (lane.waiting.has(key) && (job.dueAt ?? 0) <= now()) makeReady(lane, known);
      return;
    }
    const queued: Queued = { job, waiters: resolve ? [resolve] : [] };
    jobs.set(key, queued);
    const wait = (job.dueAt ?? 0) - now();
    if (wait > 0 && !urgent) {
      lane.waiting.set(key, queued);
      queued.timer = setTimeout(() => makeReady(lane, queued), wait);
      return;
    }
    if (preloaded && preloadedBytes + sizeOf(preloaded) <= PRELOAD_BUDGET_BYTES) {
      queued.preloaded = preloaded;
      preloadedBytes += sizeOf(preloaded);
    }
    if (urgent || job.sync || job.once) lane.urgent.push(queued);
    else {
      lane.ready.push(queued);
      if (lane.breaker.isOpen()) hold(lane, queued);
    }
    pump(lane);
  }

  function makeReady(lane: Lane, queued: Queued): void {
    clearTimeout(queued.timer);
    delete queued.timer;
    lane.waiting.delete(jobKey(queued.job));
    lane.ready.push(queued);
    if (lane.breaker.isOpen()) hold(lane, queued);
    pump(lane);
  }

  /**
   * A held job is neither read nor tried until a probe succeeds, but its FORWARD_RETRY_HOURS still run: at
   * its deadline it gets its last try, which fails for good (and is told) unless the target answers.
   */
  function hold(lane: Lane, queued: Queued): void {
    const left = queued.job.since + options.retryForMs - now();
    queued.timer = setTimeout(() => (left > LONGEST_TIMER_MS ? hold(lane, queued) : hurry(lane, queued)), Math.min(left, LONGEST_TIMER_MS));
  }

  /** Moves a queued job (waiting, ready or held) to the lane's urgent tries. */
  function hurry(lane: Lane, queued: Queued): void {
    clearTimeout(queued.timer);
    delete queued.timer;
    const at = lane.ready.indexOf(queued);
    if (at >= 0) lane.ready.splice(at, 1);
    // Neither waiting nor ready: already urgent or in flight, and its outcome is the one awaited.
    if (lane.waiting.delete(jobKey(queued.job)) || at >= 0) lane.urgent.push(queued);
    pump(lane);
  }

  /** Closed: up to maxInFlight ready jobs. Open: one probe, the job due first, once nothing is in flight and its backoff is over. */
  function nextTry(lane: Lane): Queued | undefined {
    if (stopped || lane.inFlight >= options.maxInFlight) return undefined;
    if (lane.urgent.length > 0) return lane.urgent.shift();
    if (!lane.breaker.isOpen()) return lane.inFlight < SATURATED_IN_FLIGHT || !options.saturated?.() ? lane.ready.shift() : undefined;
    if (lane.inFlight > 0 || lane.ready.length === 0) return undefined;
    const wait = lane.breaker.probeAt() - now();
    if (wait <= 0) {
      const probe = lane.ready.shift()!;
      clearTimeout(probe.timer);
      delete probe.timer;
      return probe;
    }
    if (!lane.probeTimer) lane.probeTimer = setTimeout(() => (delete lane.probeTimer, pump(lane)), wait);
    return undefined;
  }

  function pump(lane: Lane): void {
    for (let queued = nextTry(lane); queued; queued = nextTry(lane)) {
      lane.inFlight += 1;
      let sending = true;
      /**
       * The target has answered: its slot goes to the next try while this one is recorded, so the tries that
       * answer during one write are recorded together in the next (a slot held until its own write allowed 8).
       */
      const answered = () => {
        if (!sending) return;
        sending = false;
        lane.inFlight -= 1;
        lane.recording += 1;
        pump(lane);
      };
      const run = tryOnce(queued.job, queued.preloaded, answered)
        .catch((error: unknown): TryResult => {
          // The store failed: the job stays stored and is tried again on the next start.
          logger.error({ err: error, deliveryId: queued.job.deliveryId }, 'relay try could not be recorded');
          return { kind: 'gone' };
        })
        .then((result) => {
          answered();
          lane.recording -= 1;
          if (queued.preloaded) preloadedBytes -= sizeOf(queued.preloaded);
          jobs.delete(jobKey(queued.job));
          void reads.letGo([jobKey(queued.job)], async () => undefined);
          for (const resolve of queued.waiters) resolve(result);
          if (result.kind === 'retry' && !stopped && !options.handOff?.(result.next)) queue(result.next);
          if (result.kind === 'delivered') for (const waiting of [...lane.waiting.values()]) makeReady(lane, waiting);
          pump(lane);
          readBack(lane);
        })
        .finally(() => running.delete(run));
      running.add(run);
    }
  }

  async function tryOnce(job: RelayJob, preloaded: Preloaded | undefined, answered: () => void): Promise<TryResult> {
    const [delivery, endpoint] = preloaded ? [preloaded.delivery, preloaded.endpoint] : await Promise.all([options.deliveries.get(job), options.endpoints.findById(job.endpointId)]);
    if (!delivery || !endpoint) {
      await repo.dropJob(job);
      return { kind: 'gone' };
    }
    const at = now();
    const answer = await sendRelay(buildRelayRequest(delivery, job.url, options.publicUrl), { agent: options.agent, timeoutMs: options.timeoutMs, now, ...(job.sync ? { keepBodyBytes: SYNC_ANSWER_MAX_BYTES } : {}) });
    const attempt = attemptOf(job, at, answer);
    const settled = judge(job, answer, at);
    noteTry(laneOf(job.targetId), settled.retryAt);
    answered();
    // A sync sender was given the failure and retries on its own: its tries are not told one by one.
    const message = settled.kind === 'final' && !job.once && !job.sync ? options.failureMessage(job, endpoint, attempt, options.nextId(at), settled.expired) : undefined;
    await repo.settle(job, { attemptId: options.nextId(at), attempt, ...(settled.kind === 'retry' ? { retry: settled.next } : {}), failed: settled.kind === 'final' && !job.once, ...(message ? { message } : {}) });
    if (message) options.enqueue(message);
    const result: TryResult = settled.kind === 'retry' ? { kind: 'retry', attempt, answer, next: settled.next } : { kind: settled.kind, attempt, answer };
    // A job to be retried still waits, besides the others of its target.
    if (!job.once) options.onTry(job, endpoint, result, queuedFor(job.targetId) + (result.kind === 'retry' ? 1 : 0));
    return result;
  }

  /** Jobs of the target still queued, besides the one settling now. */
  function queuedFor(targetId: string): number {
    const lane = laneOf(targetId);
    return count(lane) + lane.store.left - 1;
  }

  /** The lane's jobs in memory. */
  const count = (lane: Lane) => lane.ready.length + lane.waiting.size + lane.urgent.length + lane.inFlight + lane.recording;

  /** Once the lane is down to half its bound, reads its jobs left in the store back, oldest first, up to the bound. */
  function readBack(lane: Lane): void {
    if (stopped || !lane.store.spilled || lane.store.reading || count(lane) > bound - pageSize) return;
    lane.store.reading = true;
    const run = readPages(lane)
      .catch((error: unknown) => logger.error({ err: error }, 'relays left in the store could not be read back; read again on the next start'))
      .finally(() => {
        lane.store.reading = false;
        running.delete(run);
      });
    running.add(run);
  }

  async function readPages(lane: Lane): Promise<void> {
    const { store } = lane;
    while (!stopped && store.spilled && count(lane) < bound) {
      if (store.cursor === undefined) store.leftInPass = false;
      const page = await readPage(store.cursor, lane);
      if (stopped) return;
      let seen = 0;
      for (const job of page.jobs) {
        if (count(lane) >= bound) break;
        seen += 1;
        store.cursor = keys.relayJob(job.deliveryId, job.targetId);
        if (lanes.get(job.targetId) !== lane || !page.kept.has(job) || jobs.has(jobKey(job))) continue;
        store.left = Math.max(0, store.left - 1);
        enter(job, page.preloaded.get(job), false);
      }
      if (seen < page.jobs.length || page.next !== undefined) continue;
      // The queue's end: every job left behind before this pass began is read back by now.
      delete store.cursor;
      if (!store.leftInPass) Object.assign(store, { spilled: false, left: 0 });
    }
  }

  /**
   * A page of the stored queue after `after`, and which of its jobs this process did not settle while reading it.
   * For a lane reading its jobs back while its breaker is closed, also their deliveries, in one read: a drain after an
   * outage otherwise reads each relay's delivery on its own, and at one in flight while saturated, waits for each in turn
   * (a held job may wait for hours: it is read when tried).
   */
  async function readPage(after: string | undefined, lane?: Lane): Promise<{ jobs: RelayJob[]; kept: Set<RelayJob>; next?: string; preloaded: Map<RelayJob, Preloaded> }> {
    let page: { jobs: RelayJob[]; next?: string } = { jobs: [] };
    const preloaded = new Map<RelayJob, Preloaded>();
    const load = async () => {
      page = await repo.jobsAfter(after, pageSize);
      if (!lane || lane.breaker.isOpen()) return page.jobs;
      const wanted = page.jobs.filter((job) => lanes.get(job.targetId) === lane && !jobs.has(jobKey(job))).slice(0, bound - count(lane));
      const deliveries = await repo.deliveriesOf(wanted);
      for (const [i, job] of wanted.entries()) {
        const delivery = deliveries[i];
        const endpoint = delivery && (await options.endpoints.findById(job.endpointId));
        if (endpoint) preloaded.set(job, { delivery, endpoint });
      }
      return page.jobs;
    };
    const kept = new Set(await reads.read(load, jobKey));
    return { ...page, kept, preloaded };
  }

  /**
   * Queues the stored queue's jobs (each at its booked time) a page at a time, up to each lane's bound, and counts
   * per target those left in the store. `skip`: jobs to leave alone.
   */
  function walk(skip: (job: RelayJob) => boolean): Promise<void> {
    // One walk at a time: over a long outage's queue one may outlast the 30 s between rescans.
    walking ??= walkPages(skip).finally(() => (walking = undefined));
    return walking;
  }

  async function walkPages(skip: (job: RelayJob) => boolean): Promise<void> {
    const left = new Map<Lane, number>();
    let after: string | undefined;
    do {
      const page = await readPage(after);
      if (stopped) return;
      for (const job of page.jobs) {
        if (!page.kept.has(job) || jobs.has(jobKey(job)) || skip(job)) continue;
        const lane = laneOf(job.targetId);
        if (count(lane) < bound) enter(job, undefined, false);
        else left.set(lane, (left.get(lane) ?? 0) + 1);
      }
      after = page.next;
    } while (after !== undefined);
    for (const lane of lanes.values()) {
      lane.store.left = left.get(lane) ?? 0;
      if (lane.store.left > 0) Object.assign(lane.store, { spilled: true, leftInPass: true });
      readBack(lane);
    }
  }

  /**
   * Tells the target's breaker how a try went. Opened: the ready jobs are held (each keeps its deadline).
   * Closed: they are tried again at the lane's full bound, and their deadline timers stop.
   */
  function noteTry(lane: Lane, retryAt: number | undefined): void {
    const wasOpen = lane.breaker.isOpen();
    lane.breaker.note(retryAt);
    if (wasOpen === lane.breaker.isOpen()) return;
    if (!wasOpen) return lane.ready.forEach((queued) => hold(lane, queued));
    clearTimeout(lane.probeTimer);
    delete lane.probeTimer;
    for (const queued of lane.ready) {
      clearTimeout(queued.timer);
      delete queued.timer;
    }
  }

  /**
   * Delivered on 2xx; retried on no answer, 408, 429, 5xx until FORWARD_RETRY_HOURS are up; else final.
   * `retryAt`: when a failure of the target (not of the delivery) would be tried again, for its breaker.
   */
  function judge(job: RelayJob, answer: RelayAnswer, at: number): ({ kind: 'delivered' } | { kind: 'final'; expired: boolean } | { kind: 'retry'; next: RelayJob }) & { retryAt?: number } {
    if (answer.kind === 'answered' && answer.status >= 200 && answer.status < 300) return { kind: 'delivered' };
    const retryable = answer.kind === 'failed' ? !answer.blocked : isRetryable(answer.status);
    if (!retryable) return { kind: 'final', expired: false };
    const retryAt = at + answer.durationMs + retryDelay(job.tries + 1, answer.kind === 'answered' ? answer.retryAfterMs : undefined, options.baseRetryMs);
    if (job.once || job.sync) return { kind: 'final', expired: false, retryAt };
    if (retryAt > job.since + options.retryForMs) return { kind: 'final', expired: true, retryAt };
    return { kind: 'retry', next: { ...job, tries: job.tries + 1, dueAt: retryAt }, retryAt };
  }

  function attemptOf(job: RelayJob, at: number, answer: RelayAnswer): RelayAttempt {
    const common = { at, targetId: job.targetId, url: maskUrl(job.url), durationMs: answer.durationMs };
    return answer.kind === 'answered'
      ? { ...common, status: answer.status, headers: answer.headers, excerpt: answer.excerpt }
      : { ...common, error: answer.error, headers: [], excerpt: '' };
  }

  /** Jobs of the target held in memory: at most the bound, but for those their callers wait for. */
  function held(targetId: string): number {
    const lane = lanes.get(targetId);
    return lane ? count(lane) : 0;
  }

  /** Queues stored jobs (each at its booked time), leaving out those this process settled while reading them. */
  async function adopt(load: () => Promise<RelayJob[]>): Promise<void> {
    for (const job of await reads.read(load, jobKey)) queue(job);
  }

  return {
    add,
    queue,
    adopt,
    /** Queues what an earlier run (or leader) left: each at its booked time, up to each target's bound. */
    async resume(): Promise<void> {
      stopped = false;
      await walk(() => false);
    },
    /** The leader's safety net for a job whose hand-off was lost: the stored queue, but for jobs just due. */
    async rescan(): Promise<void> {
      const recent = now() - options.timeoutMs - RESCAN_GRACE_MS;
      await walk((job) => (job.dueAt ?? job.since) >= recent);
    },
    /** Jobs queued for a target (waiting, ready or in flight, and those left in the store). */
    queued: (targetId: string): number => held(targetId) + (lanes.get(targetId)?.store.left ?? 0),
    held,
    /** Whether the target's breaker is open: its jobs wait while one probe at a time is tried. */
    failing: (targetId: string): boolean => lanes.get(targetId)?.breaker.isOpen() ?? false,
    /** Stops starting tries; waits for those in flight, so their outcome is recorded. The rest stay stored. */
    async stop(): Promise<void> {
      stopped = true;
      for (const queued of jobs.values()) clearTimeout(queued.timer);
      for (const lane of lanes.values()) clearTimeout(lane.probeTimer);
      await Promise.all(running);
      lanes.clear();
      jobs.clear();
      preloadedBytes = 0;
    },
  };
}
