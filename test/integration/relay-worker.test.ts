import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Delivery } from '../../src/domain/delivery.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import type { RelayJob } from '../../src/domain/forward-target.ts';
import { createDeliveryIdGenerator } from '../../src/domain/ids.ts';
import { createRelayWorker } from '../../src/forward/create-relay-worker.ts';
import { createOutboundAgent } from '../../src/outbound/create-outbound-agent.ts';
import { createDeliveryRepository } from '../../src/store/delivery-repository.ts';
import { createEndpointRepository } from '../../src/store/endpoint-repository.ts';
import { createForwardRepository } from '../../src/store/forward-repository.ts';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

const endpoint: Endpoint = { id: 'ab12cd34', token: 't', name: 'stripe', owner: { platform: 'test', chatId: 'c' }, createdAt: 0, mutedUntil: null };
/** Well past the 64 queued jobs that once stopped fresh relays from using the delivery they were handed. */
const BACKLOG = 200;

describe('relay worker', () => {
  let store: KeyValueStore;
  let target: RelayTarget;

  beforeEach(async () => {
    store = await createSqliteStore(tempDatabaseUrl());
    target = await startRelayTarget();
  });
  afterEach(async () => {
    await target.close();
    await store.close();
  });

  it('sends each fresh relay from the delivery and endpoint it was handed, reading neither back, behind a backlog of 200', async () => {
    const deliveries = createDeliveryRepository(store);
    const endpoints = createEndpointRepository(store, Date.now);
    const reads = { deliveries: 0, endpoints: 0 };
    const agent = createOutboundAgent({ allowPrivate: true, connectionsPerOrigin: 8 });
    const nextId = createDeliveryIdGenerator();
    const worker = createRelayWorker({
      repo: createForwardRepository(store),
      deliveries: { ...deliveries, get: (ref) => ((reads.deliveries += 1), deliveries.get(ref)) },
      endpoints: { ...endpoints, get: (id) => ((reads.endpoints += 1), endpoints.get(id)), findById: (id) => ((reads.endpoints += 1), endpoints.findById(id)) },
      agent,
      publicUrl: 'https://hooks.example.com',
      timeoutMs: 5000,
      retryForMs: 3_600_000,
      baseRetryMs: 1000,
      maxInFlight: 8,
      nextId,
      now: Date.now,
      logger: pino({ level: 'silent' }),
      failureMessage: () => undefined,
      onTry: () => undefined,
      enqueue: () => undefined,
    });
    const fresh = Array.from({ length: BACKLOG }, (): [RelayJob, Delivery] => {
      const id = nextId(Date.now());
      const delivery: Delivery = { id, endpointId: endpoint.id, receivedAt: Date.now(), method: 'POST', subPath: '', query: '', headers: [['Content-Type', 'application/json']], body: Buffer.from(`{"n":"${id}"}`).toString('base64'), size: 12, sourceIp: '203.0.113.9' };
      return [{ deliveryId: id, endpointId: endpoint.id, targetId: 'target-1', url: target.url, tries: 0, since: Date.now() }, delivery];
    });

    const results = await Promise.all(fresh.map(([job, delivery]) => worker.add(job, { delivery, endpoint })));
    await worker.stop();
    await agent.close();

    expect(results.map((result) => result.kind)).toEqual(fresh.map(() => 'delivered'));
    expect(target.received.map((relay) => relay.body.toString())).toEqual(expect.arrayContaining(fresh.map(([job]) => `{"n":"${job.deliveryId}"}`)));
    expect(reads).toEqual({ deliveries: 0, endpoints: 0 });
  });
});
