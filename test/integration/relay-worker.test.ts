import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createAlertService } from '../../src/alerts/create-alert-service.ts';
import type { Delivery } from '../../src/domain/delivery.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import type { RelayAttempt, RelayJob } from '../../src/domain/forward-target.ts';
import { createDeliveryIdGenerator } from '../../src/domain/ids.ts';
import { createForwarding } from '../../src/forward/create-forwarding.ts';
import { RESCAN_PAGES } from '../../src/forward/create-relay-rescan.ts';
import { createRelayWorker, type RelayWorkerOptions } from '../../src/forward/create-relay-worker.ts';
import { BREAKER_THRESHOLD } from '../../src/forward/create-target-breaker.ts';
import { RESCAN_GRACE_MS } from '../../src/forward/tried-elsewhere-until.ts';
import { createOutboundAgent } from '../../src/outbound/create-outbound-agent.ts';
import { createAlertRepository } from '../../src/store/alert-repository.ts';
import { createDeliveryRepository } from '../../src/store/delivery-repository.ts';
import { createEndpointRepository } from '../../src/store/endpoint-repository.ts';
import { createForwardRepository } from '../../src/store/forward-repository.ts';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { keys } from '../../src/store/keys.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { receivedHeader, startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';
import { newDatabaseUrl, openTestStore, storeKinds, type StoreKind } from '../helpers/test-stores.ts';

const endpoint: Endpoint = { id: 'ab12cd34', token: 't', name: 'stripe', owner: { platform: 'test', chatId: 'c' }, createdAt: 0, mutedUntil: null };
/** Well past the 64 queued jobs that once stopped fresh relays from using the delivery they were handed. */
const BACKLOG = 200;
const TARGET_ID = 'target-1';
/** FORWARD_TIMEOUT_MS of the test's workers. */
const TIMEOUT_MS = 5000;

describe('relay worker', () => {
  let store: KeyValueStore;
  let target: RelayTarget;
  const agent = createOutboundAgent({ allowPrivate: true, connectionsPerOrigin: 8 });
  const nextId = createDeliveryIdGenerator();

  beforeEach(async () => {
    store = await createSqliteStore(tempDatabaseUrl());
    target = await startRelayTarget();
  });
  afterEach(async () => {
    await target.close();
    await store.close();
  });
  afterAll(() => agent.close());

  /** A worker on the test's store and agent, counting the deliveries and endpoints it reads back. */
  function startWorker(overrides: Partial<RelayWorkerOptions> = {}) {
    const deliveries = createDeliveryRepository(store);
    const endpoints = createEndpointRepository(store, Date.now);
    const reads = { deliveries: 0, endpoints: 0 };
    const worker = createRelayWorker({
      repo: createForwardRepository(store),
      deliveries: { ...deliveries, get: (ref) => ((reads.deliveries += 1), deliveries.get(ref)) },
      endpoints: { ...endpoints, get: (id) => ((reads.endpoints += 1), endpoints.get(id)), findById: (id) => ((reads.endpoints += 1), Promise.resolve(endpoint)) },
      agent,
      publicUrl: 'https://hooks.example.com',
      timeoutMs: TIMEOUT_MS,
      retryForMs: 3_600_000,
      baseRetryMs: 1000,
      maxInFlight: 8,
      nextId,
      now: Date.now,
      logger: pino({ level: 'silent' }),
      failureMessage: () => undefined,
      onTry: () => undefined,
      enqueue: () => undefined,
      ...overrides,
    });
    return { worker, reads };
  }

  /** The test's store on that kind: several processes share a PostgreSQL database. */
  async function useStore(kind: StoreKind): Promise<void> {
    if (kind === 'sqlite') return;
    await store.close();
    store = await openTestStore(await newDatabaseUrl(kind));
  }

  /** Another process's forwarding on the test's store (one that does not lead: it makes only the tries it waits for). */
  async function otherProcess() {
    const logger = pino({ level: 'silent' });
    const endpoints = { ...createEndpointRepository(store, Date.now), findById: () => Promise.resolve(endpoint) };
    const alerts = createAlertService({ repo: createAlertRepository(store), endpoints, enqueue: () => undefined, nextId, remindMs: 3_600_000, logger, now: Date.now });
    const config = { PUBLIC_URL: 'https://hooks.example.com', FORWARD_ALLOW_PRIVATE: true, FORWARD_TIMEOUT_MS: TIMEOUT_MS, FORWARD_RETRY_HOURS: 1 };
    const forwarding = createForwarding({ store, endpoints, deliveries: createDeliveryRepository(store), alerts, enqueue: () => undefined, config, logger, now: Date.now, handOff: () => true });
    await forwarding.loadTargets();
    return forwarding;
  }

  /** `count` deliveries, each with its relay job to the test's target. */
  const made = (count: number) =>
    Array.from({ length: count }, (): [RelayJob, Delivery] => {
      const id = nextId(Date.now());
      const delivery: Delivery = { id, endpointId: endpoint.id, receivedAt: Date.now(), method: 'POST', subPath: '', query: '', headers: [['Content-Type', 'application/json']], body: Buffer.from(`{"n":"${id}"}`).toString('base64'), size: 12, sourceIp: '203.0.113.9' };
      return [{ deliveryId: id, endpointId: endpoint.id, targetId: TARGET_ID, url: target.url, tries: 0, since: Date.now() }, delivery];
    });

  /** As the receiver leaves them: each delivery stored with its job in one write. */
  async function stored(count: number): Promise<RelayJob[]> {
    const deliveries = createDeliveryRepository(store);
    const repo = createForwardRepository(store);
    const pairs = made(count);
    for (const [job, delivery] of pairs) await deliveries.add(delivery, [], [repo.jobEntry(job)]);
    return pairs.map(([job]) => job);
  }

  /** The test's store, counting the reads made through it (a get or a getMany is one statement each). */
  function countingReads(): { store: KeyValueStore; reads: () => number } {
    let reads = 0;
    const counted: KeyValueStore = {
      ...store,
      get: (key) => ((reads += 1), store.get(key)),
      getMany: (wanted) => ((reads += 1), store.getMany(wanted)),
    };
    return { store: counted, reads: () => reads };
  }

  /** The test's store, counting the rows of the relay queue read through it: keys alone, and jobs (values). */
  function countingQueueRows(): { store: KeyValueStore; rows: () => { keys: number; jobs: number } } {
    const rows = { keys: 0, jobs: 0 };
    const queued = (key: string) => key.startsWith(keys.relayJobs);
    const counted: KeyValueStore = {
      ...store,
      get: (key) => ((rows.jobs += queued(key) ? 1 : 0), store.get(key)),
      getMany: (wanted) => ((rows.jobs += wanted.filter(queued).length), store.getMany(wanted)),
      scan: async (prefix, options) => {
        const found = await store.scan(prefix, options);
        if (queued(prefix)) rows[options?.keysOnly ? 'keys' : 'jobs'] += found.length;
        return found;
      },
    };
    return { store: counted, rows: () => ({ ...rows }) };
  }

  it('marks the relays that settle together with one read of their find entries, not one each, and every mark is exact', async () => {
    const SECOND_TARGET = 'target-2';
    const pairs = made(BACKLOG);
    const deliveries = createDeliveryRepository(store);
    for (const [job, delivery] of pairs) await deliveries.add(delivery, [], [], [TARGET_ID, SECOND_TARGET]);
    const counted = countingReads();
    const { worker } = startWorker({ repo: createForwardRepository(counted.store) });
    // Each delivery to two targets: both its relays settle at about the same time, and both marks must land.
    target.answerWith((relay) => ({ status: relay.url.endsWith('/second') ? 503 : 200 }));

    const results = await Promise.all(
      pairs.flatMap(([job, delivery]) => [worker.add(job, { delivery, endpoint }), worker.add({ ...job, targetId: SECOND_TARGET, url: `${target.url}/second`, sync: true }, { delivery, endpoint })]),
    );
    await worker.stop();

    expect(results.filter((result) => result.kind === 'delivered')).toHaveLength(BACKLOG);
    expect(results.filter((result) => result.kind === 'final')).toHaveLength(BACKLOG);
    // 400 tries settled: one read each made 400; settled together, they make a small part of that.
    expect(counted.reads()).toBeLessThan(BACKLOG / 4);
    const entries = await store.getMany(pairs.map(([job]) => `find:${endpoint.id}:${job.deliveryId}`));
    expect(entries.map((entry) => (entry as { f: string; h: string }).f)).toEqual(pairs.map(() => ' delivered failed '));
    expect(entries.map((entry) => (entry as { f: string; h: string }).h)).toEqual(pairs.map(() => ' 200 503 '));
  });

  it('leaves nothing behind of a try that settles after its delivery was removed: no attempt, no failure, no job booked again', async () => {
    const repo = createForwardRepository(store);
    const [removed, alsoRemoved] = await stored(2);
    // Retention takes a delivery's find entry first, then the delivery: the try settles in between.
    await store.deleteRange(keys.findEntries(endpoint.id));
    const [live] = await stored(1);
    const attempt: RelayAttempt = { at: Date.now(), targetId: TARGET_ID, url: target.url, status: 503, durationMs: 3, headers: [], excerpt: '' };
    await Promise.all([
      repo.settle(removed!, { attemptId: 'a1', attempt, retry: { ...removed!, tries: 1, dueAt: Date.now() + 60_000 }, failed: false }),
      repo.settle(alsoRemoved!, { attemptId: 'a2', attempt, failed: true }),
      repo.settle(live!, { attemptId: 'a3', attempt, failed: true }),
    ]);
    expect((await store.scan('relay-try:')).map((entry) => entry.key.split(':')[2])).toEqual([live!.deliveryId]);
    expect((await store.scan('relay-failed:')).map((entry) => entry.key.split(':')[2])).toEqual([live!.deliveryId]);
    expect(await store.scan('relay:')).toEqual([]);
  });

  it('sends each fresh relay from the delivery and endpoint it was handed, reading neither back, behind a backlog of 200', async () => {
    const { worker, reads } = startWorker();
    const fresh = made(BACKLOG);

    const results = await Promise.all(fresh.map(([job, delivery]) => worker.add(job, { delivery, endpoint })));
    await worker.stop();

    expect(results.map((result) => result.kind)).toEqual(fresh.map(() => 'delivered'));
    expect(target.received.map((relay) => relay.body.toString())).toEqual(expect.arrayContaining(fresh.map(([job]) => `{"n":"${job.deliveryId}"}`)));
    expect(reads).toEqual({ deliveries: 0, endpoints: 0 });
  });

  it('keeps to one queued relay in flight per target while the process is saturated, and to the full bound once it is not; a sync relay is not held back', async () => {
    let saturated = true;
    let atTarget = 0;
    const overlap: number[] = [];
    target.answerWith(async () => {
      overlap.push((atTarget += 1));
      await new Promise((resolve) => setTimeout(resolve, 5));
      atTarget -= 1;
      return { status: 200 };
    });
    const { worker } = startWorker({ saturated: () => saturated });
    const [syncRelay, ...fresh] = made(1 + 2 * BACKLOG);

    const busy = Promise.all(fresh.slice(0, BACKLOG).map(([job, delivery]) => worker.add(job, { delivery, endpoint })));
    await target.waitFor(10);
    const sync = worker.add({ ...syncRelay![0], sync: true }, { delivery: syncRelay![1], endpoint });
    const triedBeforeSync = sync.then(() => overlap.length);
    await busy;
    const whileSaturated = [...overlap];
    saturated = false;
    await Promise.all([sync, ...fresh.slice(BACKLOG).map(([job, delivery]) => worker.add(job, { delivery, endpoint }))]);
    await worker.stop();

    // At most the sync relay beside the one queued relay, and the sync relay answered long before the queue's end.
    expect(Math.max(...whileSaturated)).toBeLessThanOrEqual(2);
    expect(await triedBeforeSync).toBeLessThan(20);
    expect(Math.max(...overlap.slice(whileSaturated.length))).toBe(8);
  });

  it('while the target fails, holds 200 queued relays unread and tries one at a time; back up, delivers each once', async () => {
    let down = true;
    let atTarget = 0;
    const overlapping: number[] = [];
    const delivered = new Map<string, number>();
    // Each answer takes a few ms, so tries sent together would meet at the target.
    target.answerWith(async (relay, index) => {
      if ((atTarget += 1) > 1) overlapping.push(index);
      await new Promise((resolve) => setTimeout(resolve, 5));
      atTarget -= 1;
      if (down) return { status: 503, body: 'down' };
      const id = receivedHeader(relay, 'x-hookwatch-delivery')!;
      delivered.set(id, (delivered.get(id) ?? 0) + 1);
      return { status: 200 };
    });
    // FORWARD_RETRY_HOURS at its most (720): longer than one Node timer can wait for a held relay's deadline.
    const { worker, reads } = startWorker({ baseRetryMs: 20, retryForMs: 720 * 3_600_000 });
    const jobs = await stored(BACKLOG);
    await worker.adopt(async () => jobs);

    await target.waitFor(50);
    const tried = target.received.length;
    expect(worker.failing(TARGET_ID)).toBe(true);
    expect(worker.queued(TARGET_ID)).toBe(BACKLOG);
    // Up to a window in flight while the breaker counts its failures, and as many started before it opened; then one at a time.
    expect(overlapping.filter((index) => index >= 2 * BREAKER_THRESHOLD)).toEqual([]);
    // Only the tries made read their delivery: the 150 and more relays held are neither read nor tried.
    expect(reads.deliveries).toBeLessThanOrEqual(tried + 1);
    expect(new Set(target.received.map((relay) => receivedHeader(relay, 'x-hookwatch-delivery'))).size).toBeLessThan(BACKLOG / 2);

    down = false;
    await expect.poll(() => delivered.size, { timeout: 10_000 }).toBe(BACKLOG);
    await expect.poll(() => worker.queued(TARGET_ID)).toBe(0);
    await worker.stop();
    expect([...delivered.keys()].sort()).toEqual(jobs.map((job) => job.deliveryId).sort());
    expect([...delivered.values()].every((times) => times === 1)).toBe(true);
    expect(worker.failing(TARGET_ID)).toBe(false);
    expect(await createForwardRepository(store).jobsAfter(undefined, BACKLOG)).toEqual({ jobs: [] });
  });

  describe('with more relays queued than a target\'s lane holds in memory', () => {
    const BOUND = 20;
    const QUEUED = 500;

    /** The target refuses until `comeBack`; counts each delivery's arrivals, and the jobs held whenever it is asked. */
    function outage(worker: () => { held: (targetId: string) => number }) {
      const state = { down: true, maxHeld: 0, delivered: new Map<string, number>() };
      target.answerWith((relay) => {
        state.maxHeld = Math.max(state.maxHeld, worker().held(TARGET_ID));
        if (state.down) return { status: 503, body: 'down' };
        const id = receivedHeader(relay, 'x-hookwatch-delivery')!;
        state.delivered.set(id, (state.delivered.get(id) ?? 0) + 1);
        return { status: 200 };
      });
      return state;
    }

    it('holds at most its bound while the target refuses 500, counts them all as waiting, and once back delivers each exactly once', async () => {
      const { worker } = startWorker({ baseRetryMs: 20, retryForMs: 720 * 3_600_000, maxQueuedPerTarget: BOUND });
      const state = outage(() => worker);
      const deliveries = createDeliveryRepository(store);
      const repo = createForwardRepository(store);

      // As the receiver hands them over: each stored with its delivery, then queued with it.
      for (const [job, delivery] of made(QUEUED)) {
        await deliveries.add(delivery, [], [repo.jobEntry(job)]);
        worker.queue(job, { delivery, endpoint });
        state.maxHeld = Math.max(state.maxHeld, worker.held(TARGET_ID));
      }
      await expect.poll(() => worker.failing(TARGET_ID)).toBe(true);
      expect(worker.queued(TARGET_ID)).toBe(QUEUED);

      state.down = false;
      await expect.poll(() => state.delivered.size, { timeout: 20_000 }).toBe(QUEUED);
      await expect.poll(() => worker.queued(TARGET_ID)).toBe(0);
      await worker.stop();
      expect(state.maxHeld).toBeGreaterThan(0);
      expect(state.maxHeld).toBeLessThanOrEqual(BOUND);
      expect([...state.delivered.values()].every((times) => times === 1)).toBe(true);
      expect(await repo.jobsAfter(undefined, QUEUED)).toEqual({ jobs: [] });
    });

    it('loads at most its bound of 500 relays pending at a restart, and reads the rest back as the lane drains, their deliveries a page at a time', async () => {
      const jobs = await stored(QUEUED);
      const { worker, reads } = startWorker({ baseRetryMs: 20, retryForMs: 720 * 3_600_000, maxQueuedPerTarget: BOUND });
      const state = outage(() => worker);

      await worker.resume();
      state.maxHeld = Math.max(state.maxHeld, worker.held(TARGET_ID));
      await expect.poll(() => worker.failing(TARGET_ID)).toBe(true);
      expect(worker.queued(TARGET_ID)).toBe(QUEUED);

      state.down = false;
      await expect.poll(() => state.delivered.size, { timeout: 20_000 }).toBe(QUEUED);
      await worker.stop();
      expect(state.maxHeld).toBeLessThanOrEqual(BOUND);
      expect([...state.delivered.keys()].sort()).toEqual(jobs.map((job) => job.deliveryId).sort());
      expect([...state.delivered.values()].every((times) => times === 1)).toBe(true);
      // Read one by one: those loaded at the start and the probes; read back once the target answers, a page in one read.
      expect(reads.deliveries).toBeLessThan(QUEUED / 4);
    });

    it.each(storeKinds)('rescans them a page of keys at a time, a bounded share each time, reading only the jobs it takes up: a lost hand-over, old or new, but not one another process is trying now (%s)', async (kind) => {
      await useStore(kind);
      const SECOND_TARGET = 'target-2';
      const toSecond: string[] = [];
      target.answerWith((relay) => {
        if (!relay.url.endsWith('/second')) return { status: 503, body: 'down' };
        toSecond.push(receivedHeader(relay, 'x-hookwatch-delivery')!);
        return { status: 200 };
      });
      let clockAhead = 0;
      const counted = countingQueueRows();
      const repo = createForwardRepository(counted.store);
      const { worker } = startWorker({ repo, baseRetryMs: 20, retryForMs: 720 * 3_600_000, maxQueuedPerTarget: BOUND, now: () => Date.now() + clockAhead });
      const jobs = await stored(QUEUED);
      await worker.resume();
      await expect.poll(() => worker.failing(TARGET_ID)).toBe(true);

      // Stored by other processes that died before telling the leader: a replay's retry (an old delivery's relay),
      // a fresh delivery's relay; and a replay another process is trying right now (booked due at once, as `replay` books it).
      const toSecondTarget = (job: RelayJob, since: number): RelayJob => ({ ...job, targetId: SECOND_TARGET, url: `${target.url}/second`, since });
      const oldLost = { ...toSecondTarget(jobs[QUEUED / 2]!, Date.now() - 60_000), tries: 1, dueAt: Date.now() - 30_000 };
      const [[fresh, freshDelivery]] = made(1) as [[RelayJob, Delivery]];
      const newLost = toSecondTarget(fresh, Date.now() - 60_000);
      const beingTried = { ...toSecondTarget(jobs[QUEUED / 2 + 50]!, Date.now()), dueAt: Date.now() };
      await repo.saveJobs([oldLost, beingTried]);
      await createDeliveryRepository(store).add(freshDelivery, [], [repo.jobEntry(newLost)]);

      const perRescan: Array<{ keys: number; jobs: number }> = [];
      const rescan = async () => {
        const before = counted.rows();
        await worker.rescan();
        const after = counted.rows();
        perRescan.push({ keys: after.keys - before.keys, jobs: after.jobs - before.jobs });
      };
      await rescan();
      await expect.poll(() => toSecond).toContain(newLost.deliveryId);
      // One pass over the 503 queued, RESCAN_PAGES pages a rescan.
      const pass = Math.ceil((QUEUED + 3) / (RESCAN_PAGES * (BOUND / 2)));
      for (let i = 1; i < pass; i++) await rescan();
      // The replay another process is trying is in the same page as the old one: had it been taken up, it would be in flight or at the target.
      await expect.poll(() => toSecond.includes(oldLost.deliveryId) && worker.held(SECOND_TARGET) === 0).toBe(true);
      expect([...toSecond].sort()).toEqual([newLost.deliveryId, oldLost.deliveryId].sort());
      // Its grace over (the try's timeout and 5 s), the replay left alone is taken up by the next rescan, wherever it is.
      clockAhead = TIMEOUT_MS + RESCAN_GRACE_MS + 1000;
      await rescan();
      await expect.poll(() => toSecond).toHaveLength(3);
      expect(toSecond[2]).toBe(beingTried.deliveryId);
      await worker.stop();

      // Each rescan: its pages of keys (each one more than asked, the read on from the last) and the newest page, and
      // the few jobs it took up or left alone; none of the 500 held in memory or left to their lane's read-back.
      expect(perRescan).toHaveLength(pass + 1);
      for (const rows of perRescan) {
        expect(rows.keys).toBeLessThanOrEqual((RESCAN_PAGES + 1) * (BOUND / 2 + 1));
        expect(rows.jobs).toBeLessThanOrEqual(3);
      }
    });

    it.each(storeKinds)('counts the lost hand-overs a rescan finds among a failing target\'s relays left in the store: its waiting count is the relays stored for it, also after a pass over the queue that the lane\'s drain outran (%s)', async (kind) => {
      await useStore(kind);
      let toDeliver = 0;
      target.answerWith(() => (toDeliver-- > 0 ? { status: 200 } : { status: 503, body: 'down' }));
      const repo = createForwardRepository(store);
      const { worker } = startWorker({ baseRetryMs: 20, retryForMs: 720 * 3_600_000, maxQueuedPerTarget: BOUND });
      const jobs = await stored(QUEUED);
      // Two relays that failed for good: replayed later, and failing again, to be retried.
      const [retried, handedOver] = [jobs[QUEUED / 2]!, jobs[10]!];
      for (const job of [retried, handedOver]) await repo.dropJob(job);
      const retryOf = (job: RelayJob): RelayJob => ({ ...job, tries: 1, since: Date.now() - 60_000, dueAt: Date.now() - 30_000 });
      await worker.resume();
      await expect.poll(() => worker.failing(TARGET_ID)).toBe(true);
      expect(worker.queued(TARGET_ID)).toBe(QUEUED - 2);

      // Stored by other processes that died before telling the leader: a replay's retry (an old delivery's relay) and a
      // fresh delivery's relay, both to the target whose relays wait in the store.
      await repo.saveJobs([retryOf(retried)]);
      await stored(1);
      const storedForTarget = async () => (await repo.jobsAfter(undefined, 2 * QUEUED)).jobs.filter((job) => job.targetId === TARGET_ID).length;
      expect(await storedForTarget()).toBe(QUEUED);

      // One pass over the queue, RESCAN_PAGES pages a rescan.
      const pass = Math.ceil(QUEUED / (RESCAN_PAGES * (BOUND / 2)));
      for (let i = 0; i < pass; i++) await worker.rescan();
      expect(worker.failing(TARGET_ID)).toBe(true);
      expect(worker.queued(TARGET_ID)).toBe(await storedForTarget());

      // Half the next pass counts the relays it finds; then a retry of an old delivery's relay is handed over and left in
      // the store behind the pass, which must count it; and the target takes 100 and fails again: the lane has read them
      // back from behind the pass, which must not count them at its end.
      for (let i = 0; i < pass / 2; i++) await worker.rescan();
      await repo.saveJobs([retryOf(handedOver)]);
      worker.queue(retryOf(handedOver));
      toDeliver = 100;
      await expect.poll(() => toDeliver < -BREAKER_THRESHOLD && worker.failing(TARGET_ID), { timeout: 10_000 }).toBe(true);
      expect(await storedForTarget()).toBe(QUEUED + 1 - 100);
      for (let i = 0; i < pass; i++) {
        await worker.rescan();
        expect(worker.queued(TARGET_ID)).toBe(await storedForTarget());
      }
      await worker.stop();
    });

    it.each(storeKinds)('loads and reads a lane\'s relays back without the replays another process is trying now, so the target gets each once; one whose process died mid-try is taken up once its grace is over (%s)', async (kind) => {
      await useStore(kind);
      let clockAhead = 0;
      const { worker: leader } = startWorker({ maxQueuedPerTarget: BOUND, now: () => Date.now() + clockAhead });
      const repo = createForwardRepository(store);
      await repo.addTarget({ id: TARGET_ID, endpointId: endpoint.id, url: target.url, addedAt: Date.now() });
      const jobs = await stored(3 * BOUND);
      // Three relays that failed for good (their jobs gone): one the leader's start meets with room in the lane, two past its bound.
      const [early, late, orphaned] = [jobs[5]!, jobs[2 * BOUND]!, jobs[2 * BOUND + 5]!];
      for (const job of [early, late, orphaned]) await repo.dropJob(job);
      const other = await otherProcess();
      const replayOf = async (job: RelayJob) => other.replay((await createDeliveryRepository(store).get(job))!);
      const arrivals = new Map<string, number>();
      let [answerReplays, startLeader] = [() => {}, () => {}];
      const [replaysAnswered, leaderStarted] = [new Promise<void>((resolve) => (answerReplays = resolve)), new Promise<void>((resolve) => (startLeader = resolve))];
      // The other process's tries wait on the target until told; the leader's, until its start has loaded its lane.
      target.answerWith(async (relay) => {
        const id = receivedHeader(relay, 'x-hookwatch-delivery')!;
        arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
        await ((id === early.deliveryId || id === late.deliveryId) && arrivals.get(id) === 1 ? replaysAnswered : leaderStarted);
        return { status: 200 };
      });
      const replays = [replayOf(early)];
      await expect.poll(() => arrivals.get(early.deliveryId)).toBe(1);
      // The orphan's replay died before its try: its job, as replay stored the first one's, is left in the store.
      const [replayJob] = await repo.jobsAt([keys.relayJob(early.deliveryId, TARGET_ID)]);
      await repo.saveJobs([{ ...replayJob!, deliveryId: orphaned.deliveryId }]);

      // The leader's start loads its lane up to the bound, passing the first replay; then, with the second under way too,
      // the lane drains and reads the rest back in key order.
      await leader.resume();
      replays.push(replayOf(late));
      await expect.poll(() => arrivals.get(late.deliveryId)).toBe(1);
      startLeader();
      const rest = jobs.filter((job) => ![early, late, orphaned].includes(job));
      await expect.poll(() => rest.every((job) => arrivals.get(job.deliveryId) === 1) && leader.held(TARGET_ID) === 0).toBe(true);
      expect(arrivals.get(early.deliveryId)).toBe(1);
      expect(arrivals.get(late.deliveryId)).toBe(1);
      expect(arrivals.has(orphaned.deliveryId)).toBe(false);
      answerReplays();
      for (const replay of await Promise.all(replays)) expect(replay).toMatchObject({ results: [{ result: { kind: 'delivered' } }] });

      // The orphan is still stored: after its grace, the rescan has the lane read it back and try it.
      clockAhead = TIMEOUT_MS + RESCAN_GRACE_MS + 1000;
      await leader.rescan();
      await expect.poll(() => arrivals.get(orphaned.deliveryId)).toBe(1);
      await expect.poll(() => leader.queued(TARGET_ID)).toBe(0);
      await Promise.all([leader.stop(), other.stop()]);
      expect([...arrivals.values()].every((times) => times === 1)).toBe(true);
      expect(arrivals.size).toBe(jobs.length);
      expect(await repo.jobsAfter(undefined, jobs.length)).toEqual({ jobs: [] });
    });

    it('tries a sync relay whose process died during its try once its grace is over, not before, with no rescan to look again (one process)', async () => {
      const { worker } = startWorker({ maxQueuedPerTarget: BOUND });
      const [[job, delivery]] = made(1) as [[RelayJob, Delivery]];
      // Its try began a moment short of the try's timeout and the grace ago.
      const sync: RelayJob = { ...job, sync: true, since: Date.now() - TIMEOUT_MS - RESCAN_GRACE_MS + 300 };
      await createDeliveryRepository(store).add(delivery, [], [createForwardRepository(store).jobEntry(sync)]);

      await worker.resume();
      await target.waitFor(1);
      await worker.stop();
      expect(target.received).toHaveLength(1);
      expect(target.received[0]!.at).toBeGreaterThanOrEqual(sync.since + TIMEOUT_MS + RESCAN_GRACE_MS);
    });

    it('gives a relay that waited in the store past FORWARD_RETRY_HOURS its one last try at its deadline, not before, and tells its failure once', async () => {
      const { worker, told } = expiringWorker({ maxQueuedPerTarget: 4 });
      const state = outage(() => worker);
      const jobs = await stored(3 * BREAKER_THRESHOLD);

      await worker.resume();
      state.maxHeld = Math.max(state.maxHeld, worker.held(TARGET_ID));
      await expect.poll(() => told.length, { timeout: 5000 }).toBe(jobs.length);
      await worker.stop();

      expect(state.maxHeld).toBeLessThanOrEqual(4);
      // Most of the relays the breaker held waited in the store, 4 at most in memory.
      expectEachToldOnceAtItsDeadline(told, jobs);
    });
  });

  it('gives a relay held past FORWARD_RETRY_HOURS one last try at its deadline, not before, and tells its failure once', async () => {
    target.answerWith(() => ({ status: 503, body: 'down' }));
    const { worker, told } = expiringWorker();
    const jobs = await stored(3 * BREAKER_THRESHOLD);
    await worker.adopt(async () => jobs);

    await expect.poll(() => told.length, { timeout: 5000 }).toBe(jobs.length);
    await worker.stop();
    expectEachToldOnceAtItsDeadline(told, jobs);
  });

  type Told = { job: RelayJob; attempt: RelayAttempt; gaveUp: boolean };
  /** FORWARD_RETRY_HOURS of one second, and the relays it tells as failed for good. */
  const RETRY_FOR_MS = 1000;

  /** Backoff from 2 s: every failed try's next one would fall past the 1 s deadline, so each first try ends its relay. */
  function expiringWorker(overrides: Partial<RelayWorkerOptions> = {}) {
    const told: Told[] = [];
    const { worker } = startWorker({ baseRetryMs: 2000, retryForMs: RETRY_FOR_MS, failureMessage: (job, _endpoint, attempt, _id, gaveUp) => void told.push({ job, attempt, gaveUp }), ...overrides });
    return { worker, told };
  }

  /** Each relay tried once and told once, given up; those the breaker held (all but the first window and the tries started with it) at their deadline, not before. */
  function expectEachToldOnceAtItsDeadline(told: Told[], jobs: RelayJob[]): void {
    expect(told.map(({ job }) => job.deliveryId).sort()).toEqual(jobs.map((job) => job.deliveryId).sort());
    expect(told.every(({ gaveUp }) => gaveUp)).toBe(true);
    expect(target.received).toHaveLength(jobs.length);
    const held = told.filter(({ attempt }) => attempt.at >= told[0]!.attempt.at + RETRY_FOR_MS / 2);
    expect(held.length).toBeGreaterThanOrEqual(jobs.length - 2 * BREAKER_THRESHOLD);
    for (const { job, attempt } of held) expect(attempt.at).toBeGreaterThanOrEqual(job.since + RETRY_FOR_MS);
  }
});
