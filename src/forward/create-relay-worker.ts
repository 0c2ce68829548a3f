import type { RelayJob } from '../domain/forward-target.ts';
import type { Logger } from '../logger.ts';
import { createRelayBacklog, jobKey, MAX_QUEUED_PER_TARGET } from './create-relay-backlog.ts';
import { createRelayTry, type Preloaded, type RelayTryOptions, type TryResult } from './create-relay-try.ts';
import { createTargetBreaker, type TargetBreaker } from './create-target-breaker.ts';

export interface RelayWorkerOptions extends RelayTryOptions {
  /** Tries in flight per target at most: a slow target holds no more than this of anything. */
  maxInFlight: number;
  /**
   * Whether the process is saturated (createSaturation): queued relays then keep to SATURATED_IN_FLIGHT per target,
   * so the CPU goes to answering senders first, and catch up once it is not. Sync relays and replays are not held back.
   */
  saturated?: () => boolean;
  logger: Logger;
  /**
   * Another process leads and makes every try but the first ones this process waits for (sync relays,
   * replays): a job to be retried is told to it (true) instead of kept here.
   */
  handOff?: (job: RelayJob) => boolean;
  /** Jobs held in memory per target at most (MAX_QUEUED_PER_TARGET); the rest wait in the store only. */
  maxQueuedPerTarget?: number;
}

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

/** What a preloaded delivery holds in memory, near enough: its body (base64) and header text. */
const sizeOf = ({ delivery }: Preloaded) => delivery.body.length + delivery.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
/**
 * A target's jobs: `ready` (due; held while the breaker is open, each with a timer at its deadline),
 * `waiting` (on a retry timer), `urgent` (tried whatever the breaker says: sync relays, replays, and a
 * held job's last try at its deadline), tries in flight, and tries answered whose record is being written.
 */
type Lane = { ready: Queued[]; waiting: Map<string, Queued>; urgent: Queued[]; inFlight: number; recording: number; breaker: TargetBreaker; probeTimer?: NodeJS.Timeout };

/** Node's longest timer (about 24.8 days; a longer one fires at once), shorter than FORWARD_RETRY_HOURS may be (720). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;


/**
 * Sends the relay queue: each job is already stored (with its delivery, or by replay), so a crash at
 * any point leaves it to the next start, which sends it again (at least once; the target tells repeats
 * by `X-Hookwatch-Delivery`). Per target, a bounded number in flight; retries wait their backoff on a
 * timer, and the first success after failures wakes the target's waiting jobs so a backlog drains at once.
 * While a target keeps failing, its breaker holds its jobs (unread, untried) behind one probe at a time: an
 * outage costs a try per backoff, not one per waiting relay. A target's lane holds MAX_QUEUED_PER_TARGET jobs in
 * memory at most: beyond it they stay stored only, read back in key order (oldest first) as the lane drains
 * (createRelayBacklog).
 */
export function createRelayWorker(options: RelayWorkerOptions) {
  const { now, logger } = options;
  const lanes = new Map<string, Lane>();
  const jobs = new Map<string, Queued>();
  const running = new Set<Promise<void>>();
  let preloadedBytes = 0;
  let stopped = false;
  const backlog = createRelayBacklog({
    repo: options.repo,
    endpoints: options.endpoints,
    bound: options.maxQueuedPerTarget ?? MAX_QUEUED_PER_TARGET,
    timeoutMs: options.timeoutMs,
    now,
    logger,
    lanes: { held, holds: (job) => jobs.has(jobKey(job)), failing, enter: (job, preloaded) => enter(job, preloaded, false) },
  });
  const tryRelay = createRelayTry(options, {
    judged: (job, retryAt) => noteTry(laneOf(job.targetId), retryAt),
    queuedBesides: (targetId) => held(targetId) + backlog.left(targetId) - 1,
  });

  const laneOf = (targetId: string) =>
    lanes.get(targetId) ?? lanes.set(targetId, { ready: [], waiting: new Map(), urgent: [], inFlight: 0, recording: 0, breaker: createTargetBreaker() }).get(targetId)!;

  /**
   * Queues a stored job and resolves with the outcome of its next try: its caller waits, so it is held whatever
   * the bound (sync relays, replays). A job already queued is made due now. `urgent` (a user's replay; sync
   * relays always): tried at once, even while the target's breaker is open.
   */
  function add(job: RelayJob, preloaded?: Preloaded, urgent = false): Promise<TryResult> {
    return new Promise((resolve) => enter(job, preloaded, urgent, resolve));
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
      const run = tryRelay(queued.job, queued.preloaded, answered)
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
          backlog.letGo(queued.job);
          for (const resolve of queued.waiters) resolve(result);
          if (result.kind === 'retry' && !stopped && !options.handOff?.(result.next)) backlog.admit(result.next);
          if (result.kind === 'delivered') for (const waiting of [...lane.waiting.values()]) makeReady(lane, waiting);
          pump(lane);
          backlog.refill(queued.job.targetId);
        })
        .finally(() => running.delete(run));
      running.add(run);
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

  /** Jobs of the target held in memory: at most the bound, but for those their callers wait for. */
  function held(targetId: string): number {
    const lane = lanes.get(targetId);
    return lane ? lane.ready.length + lane.waiting.size + lane.urgent.length + lane.inFlight + lane.recording : 0;
  }

  /** Whether the target's breaker is open: its jobs wait while one probe at a time is tried. */
  function failing(targetId: string): boolean {
    return lanes.get(targetId)?.breaker.isOpen() ?? false;
  }

  return {
    add,
    /** Queues a stored job nobody waits for; with its lane at its bound, it is left in the store, to be read back in turn. */
    queue: backlog.admit,
    adopt: backlog.adopt,
    /** Queues what an earlier run (or leader) left: each at its booked time, up to each target's bound. */
    async resume(): Promise<void> {
      stopped = false;
      await backlog.resume();
    },
    rescan: backlog.rescan,
    /** Jobs queued for a target (waiting, ready or in flight, and those left in the store). */
    queued: (targetId: string): number => held(targetId) + backlog.left(targetId),
    held,
    failing,
    /** Stops starting tries; waits for those in flight, so their outcome is recorded. The rest stay stored. */
    async stop(): Promise<void> {
      stopped = true;
      const reading = backlog.stop();
      for (const queued of jobs.values()) clearTimeout(queued.timer);
      for (const lane of lanes.values()) clearTimeout(lane.probeTimer);
      await Promise.all([...running, reading]);
      lanes.clear();
      jobs.clear();
      backlog.clear();
      preloadedBytes = 0;
    },
  };
}
