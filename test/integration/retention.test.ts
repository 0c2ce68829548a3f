import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryIdFloor } from '../../src/domain/ids.ts';
import { createEventIdIndex, type EventIdIndex } from '../../src/store/event-id-index.ts';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { keys } from '../../src/store/keys.ts';
import { createRetention, type RetentionOptions } from '../../src/store/retention.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, tempDatabaseUrl, testConfig } from '../helpers/start-test-service.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26);
/** More than SQLite's 32,766 bound parameters, the count that broke one statement before. */
const MANY = 40_000;

/** Endpoints none of which is being deleted. */
const endpointsNamed = (ids: string[]): RetentionOptions['endpoints'] => ({ listAllIds: async () => ids, whileLive: (_id, write) => write() });

/** A delivery id `ms` into the day `daysAgo` before NOW. */
const idAt = (daysAgo: number, ms = 0) => deliveryIdFloor(NOW - daysAgo * DAY + ms);

describe('retention of event ids', () => {
  let store: KeyValueStore;
  let eventIds: EventIdIndex;
  const errors: unknown[] = [];

  beforeEach(async () => {
    store = await createSqliteStore(tempDatabaseUrl());
    eventIds = createEventIdIndex(store);
    errors.length = 0;
  });
  afterEach(() => store.close());

  function retention(overrides: Partial<RetentionOptions> = {}) {
    return createRetention({ store, endpoints: endpointsNamed(['e1']), eventIds, maxDeliveries: 3, maxAgeMs: 30 * DAY, now: () => NOW, onError: (error) => errors.push(error), ...overrides });
  }

  /** Stores deliveries of e1 with these ids, each claiming the event id `evt-<id>` as the receiver does. */
  async function receive(ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += 5000) {
      const claims = ids.slice(start, start + 5000).map((id) => [[keys.delivery('e1', id), id] as [string, string], ...eventIds.claim('e1', `evt-${id}`, id).entries]);
      await store.write({ set: claims.flat() });
    }
  }

  it('removes the event ids of the deliveries it trims, so a later copy of their event is new again', async () => {
    const ids = [5, 4, 3, 2, 1].map((daysAgo) => idAt(daysAgo));
    await receive(ids);
    const trim = retention();
    trim.touch('e1');
    await trim.flush();
    await trim.stop();

    expect(await store.count(keys.deliveries('e1'))).toBe(3);
    expect((await store.scan(keys.eventIdsByDelivery('e1'), { keysOnly: true })).map((entry) => entry.key)).toEqual(ids.slice(2).map((id) => keys.eventIdOf('e1', id)));
    expect(await store.count(keys.eventIds('e1'))).toBe(0);
    expect(eventIds.claim('e1', `evt-${ids[0]}`, idAt(0)).duplicateOf).toBeUndefined();
    expect(eventIds.claim('e1', `evt-${ids[4]}`, idAt(0, 1)).duplicateOf).toBe(ids[4]);
  });

  it(`expires ${MANY.toLocaleString('en')} deliveries of one endpoint with their event ids`, async () => {
    await receive(Array.from({ length: MANY }, (_, i) => idAt(40, i)));
    const trim = retention({ maxDeliveries: MANY });
    trim.touch('e1');
    await trim.flush();
    await trim.stop();

    expect(errors).toEqual([]);
    for (const prefix of [keys.deliveries('e1'), keys.eventIds('e1'), keys.eventIdsByDelivery('e1')]) expect(await store.count(prefix)).toBe(0);
  });

  it(`removes the relay tries and failures of the ${MANY.toLocaleString('en')} deliveries it trims, keeping those of the deliveries kept`, async () => {
    const ids = Array.from({ length: MANY }, (_, i) => idAt(1, i));
    for (let start = 0; start < ids.length; start += 5000) {
      const rows = ids.slice(start, start + 5000).flatMap((id): Array<[string, unknown]> => [
        [keys.delivery('e1', id), id],
        [keys.relayAttempt('e1', id, id), { status: 500 }],
        [keys.relayAttempt('e1', id, `${id.slice(0, -1)}z`), { status: 404 }],
        [keys.relayFailure('e1', id, 'target1'), 'http://app.example/hooks'],
      ]);
      await store.write({ set: rows, add: [[keys.countOf(keys.deliveries('e1')), rows.length / 4]] });
    }
    const trim = retention();
    trim.touch('e1');
    await trim.flush();
    await trim.stop();

    expect(errors).toEqual([]);
    const kept = ids.slice(-3);
    const deliveriesOf = async (prefix: string) => [...new Set((await store.scan(prefix, { keysOnly: true })).map((entry) => entry.key.slice(prefix.length, prefix.length + 16)))];
    expect(await deliveriesOf(keys.deliveries('e1'))).toEqual(kept);
    expect(await deliveriesOf(keys.endpointRelayAttempts('e1'))).toEqual(kept);
    expect(await store.count(keys.endpointRelayAttempts('e1'))).toBe(6);
    expect(await deliveriesOf(keys.relayFailures('e1'))).toEqual(kept);
  });

  it(`sweeps ${MANY.toLocaleString('en')} event ids written before they were removed with their deliveries`, async () => {
    const legacy = Array.from({ length: MANY }, (_, i): [string, string] => [keys.eventId('e1', `hash${String(i).padStart(6, '0')}`), idAt(40, i)]);
    for (let start = 0; start < legacy.length; start += 5000) await store.write({ set: legacy.slice(start, start + 5000) });
    await receive([idAt(1)]);
    await store.write({ set: [[keys.eventId('e1', 'of-a-stored-delivery'), idAt(1)]] });
    await retention().sweep();

    expect(errors).toEqual([]);
    expect(await store.scan(keys.eventIds('e1'))).toEqual([{ key: keys.eventId('e1', 'of-a-stored-delivery'), value: idAt(1) }]);
  });

  it('reads a database written when each id had a row of its own besides the one under its delivery, and removes both with the delivery', async () => {
    const ids = [5, 4, 3, 2, 1].map((daysAgo) => idAt(daysAgo));
    // The rows that layout wrote: the claim's own row under the id's hash, and the one under the delivery.
    const rows = ids.flatMap((id): Array<[string, string]> => {
      const [[owner, claimed]] = createEventIdIndex(store).claim('e1', `evt-${id}`, id).entries as [[string, string]];
      return [[keys.delivery('e1', id), id], [claimed, id], [owner, claimed]];
    });
    await store.write({ set: rows });
    await eventIds.load();
    const trim = retention();
    trim.touch('e1');
    await trim.flush();
    await trim.stop();

    expect(errors).toEqual([]);
    expect((await store.scan(keys.eventIds('e1'))).map((entry) => entry.value).sort()).toEqual(ids.slice(2));
    expect((await store.scan(keys.eventIdsByDelivery('e1'), { keysOnly: true })).map((entry) => entry.key)).toEqual(ids.slice(2).map((id) => keys.eventIdOf('e1', id)));
    const restarted = createEventIdIndex(store);
    await restarted.load();
    expect(restarted.claim('e1', `evt-${ids[4]}`, idAt(0)).duplicateOf).toBe(ids[4]);
    expect(restarted.claim('e1', `evt-${ids[0]}`, idAt(0, 1)).duplicateOf).toBeUndefined();
  });

  it('trims a touched endpoint again in three reads while no cut moved: its count and the newest-n bounds of its rejections and undelivered records', async () => {
    const ids = [3, 2, 1].map((daysAgo) => idAt(daysAgo));
    await store.write({ set: ids.map((id): [string, string] => [keys.delivery('e1', id), id]), add: [[keys.countOf(keys.deliveries('e1')), ids.length]] });
    const trim = retention();
    trim.touch('e1');
    await trim.flush();
    const before = store.statements();
    trim.touch('e1');
    await trim.flush();
    const statements = store.statements() - before;
    await trim.stop();

    expect(statements).toBe(3);
    expect(await store.count(keys.deliveries('e1'))).toBe(3);
  });

  it('removes with the next higher cut a relay record written below the last one after its delivery went', async () => {
    const ids = [5, 4, 3, 2, 1].map((daysAgo) => idAt(daysAgo));
    await store.write({ set: ids.map((id): [string, string] => [keys.delivery('e1', id), id]), add: [[keys.countOf(keys.deliveries('e1')), ids.length]] });
    const trim = retention();
    trim.touch('e1');
    await trim.flush();
    // A relay of a removed delivery settling late, then one more delivery.
    await store.write({ set: [[keys.relayAttempt('e1', ids[0]!, ids[0]!), { status: 500 }], [keys.delivery('e1', idAt(0)), idAt(0)]], add: [[keys.countOf(keys.deliveries('e1')), 1]] });
    trim.touch('e1');
    await trim.flush();
    await trim.stop();

    expect(errors).toEqual([]);
    expect(await store.count(keys.endpointRelayAttempts('e1'))).toBe(0);
    expect(await store.count(keys.deliveries('e1'))).toBe(3);
  });

  it('removes in the hourly sweep a record written below a cut after the trim at that cut', async () => {
    await store.write({ set: [[keys.delivery('e1', idAt(1)), idAt(1)]], add: [[keys.countOf(keys.deliveries('e1')), 1]] });
    const trim = retention();
    trim.touch('e1');
    await trim.flush();
    await store.write({ set: [[keys.rejection('e1', idAt(40)), { at: NOW - 40 * DAY, reason: 'too-large', size: null }]] });
    trim.touch('e1');
    await trim.flush();
    await trim.sweep();
    await trim.stop();

    expect(errors).toEqual([]);
    expect(await store.count(keys.rejections('e1'))).toBe(0);
  });

  it('goes on to the next endpoint when one fails, and reports the failure', async () => {
    const failing: KeyValueStore = { ...store, scan: (prefix, options) => (prefix.includes(':bad:') ? Promise.reject(new Error('disk I/O error')) : store.scan(prefix, options)) };
    await store.write({ set: [[keys.eventId('good', 'old'), idAt(40)]] });
    await retention({ store: failing, eventIds: createEventIdIndex(failing), endpoints: endpointsNamed(['bad', 'good']) }).sweep();

    expect(errors).toEqual([new Error('disk I/O error')]);
    expect(await store.count(keys.eventIds('good'))).toBe(0);
  });
});

describe('event ids in the running service', () => {
  it('keeps no more event ids than RETENTION_DELIVERIES deliveries claimed', async () => {
    const config = testConfig({ RETENTION_DELIVERIES: '3' });
    const service = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new github'));
    for (let i = 0; i < 8; i++) await fetch(url, { method: 'POST', headers: { 'x-github-event': 'push', 'x-github-delivery': `d-${i}` }, body: '{}' });
    const stored = async () => (await say(service, 'show github')).fields?.find((field) => field.label === 'Stored deliveries')?.value;
    await expect.poll(stored, { timeout: 5000 }).toMatch(/^3 /);
    await service.stop();

    const store = await createSqliteStore(config.DATABASE_URL);
    const counts = [await store.count('eventid:'), await store.count('eventid-of:')];
    await store.close();
    expect(counts).toEqual([0, 3]);
  });
});
