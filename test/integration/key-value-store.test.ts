import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { Delivery } from '../../src/domain/delivery.ts';
import { deliveryIdFloor } from '../../src/domain/ids.ts';
import { encodeDelivery } from '../../src/store/delivery-codec.ts';
import type { KeyValueStore, ValueCondition } from '../../src/store/key-value-store.ts';
import { createEndpointRepository } from '../../src/store/endpoint-repository.ts';
import { createEventIdIndex } from '../../src/store/event-id-index.ts';
import { createRetention } from '../../src/store/retention.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { newDatabaseUrl, openTestStore, storeKinds, type StoreKind } from '../helpers/test-stores.ts';
import { localUrl, say, startTestService, tempDatabaseUrl, testConfig } from '../helpers/start-test-service.ts';

describe.each(storeKinds)('the %s store', (kind) => {
  let url: string;
  let store: KeyValueStore;

  beforeEach(async () => {
    url = await newDatabaseUrl(kind);
    store = await openTestStore(url);
  });
  afterEach(() => store.close());

  it('scans a prefix in key order, both ways, with a limit, without neighbouring prefixes', async () => {
    await store.write({ set: [['d:a:3', 3], ['d:a:1', 1], ['d:a:2', 2], ['d:ab:9', 9], ['d:b:1', 10]] });
    expect(await store.scan('d:a:')).toEqual([{ key: 'd:a:1', value: 1 }, { key: 'd:a:2', value: 2 }, { key: 'd:a:3', value: 3 }]);
    expect((await store.scan('d:a:', { reverse: true, limit: 2, keysOnly: true })).map((entry) => entry.key)).toEqual(['d:a:3', 'd:a:2']);
    expect((await store.scan('d:a:', { from: '2', to: '3' })).map((entry) => entry.key)).toEqual(['d:a:2']);
    expect((await store.scan('d:a:', { to: '3', reverse: true, limit: 1 })).map((entry) => entry.key)).toEqual(['d:a:2']);
    expect(await store.count('d:a:')).toBe(3);
  });

  it('deletes below a bound and keeps the newest n', async () => {
    await store.write({ set: ['1', '2', '3', '4', '5'].map((n): [string, number] => [`d:a:${n}`, Number(n)]) });
    await store.deleteRange('d:a:', '2');
    await store.keepNewest('d:a:', 2);
    expect((await store.scan('d:a:')).map((entry) => entry.value)).toEqual([4, 5]);
    await store.deleteRange('d:a:');
    expect(await store.count('d:a:')).toBe(0);
  });

  it('applies a write\'s deletes and sets together, deletes first, or none of them', async () => {
    await store.write({ set: [['outbox:1', 'a'], ['outbox:2', 'b'], ['outbox:3', 'c']] });
    await store.write({ delete: ['outbox:1', 'outbox:3'], set: [['outbox:3', 'merged']] });
    expect(await store.scan('outbox:')).toEqual([{ key: 'outbox:2', value: 'b' }, { key: 'outbox:3', value: 'merged' }]);
    // A value JSON cannot encode fails the set: the delete in the same write is rolled back with it.
    await expect(store.write({ delete: ['outbox:2'], set: [['outbox:4', 10n]] })).rejects.toThrow();
    expect(await store.scan('outbox:', { keysOnly: true })).toEqual([{ key: 'outbox:2', value: undefined }, { key: 'outbox:3', value: undefined }]);
  });

  it('applies writes that share a commit in their order, deletes, sets and additions in one statement', async () => {
    await store.write({ set: [['k:gone', 0], ['k:back', 0]] });
    const before = store.statements();
    await Promise.all([
      store.write({ set: [['k:new', 1]], delete: ['k:back'], add: [['count:k', 2]] }),
      store.write({ delete: ['k:gone', 'k:new'], set: [['k:back', 2]], add: [['count:k', -1]] }),
      store.write({ set: [['k:new', 3]], add: [['count:k', 5]] }),
    ]);
    expect(store.statements() - before).toBe(1);
    expect(await store.scan('k:')).toEqual([{ key: 'k:back', value: 2 }, { key: 'k:new', value: 3 }]);
    expect(await store.get('count:k')).toBe(6);
  });

  it('stores bytes as they are and reads them back as bytes, also after a set over them', async () => {
    const bytes = Buffer.from([0, 255, 123, 34, 10]);
    await store.write({ set: [['b:1', bytes]] });
    await store.write({ set: [['b:1', Buffer.concat([bytes, bytes])]] });
    expect(await store.get('b:1')).toEqual(Buffer.concat([bytes, bytes]));
  });

  it('adds to a count key in the store, a missing key counting as 0, after a set or delete of the same batch', async () => {
    await store.write({ add: [['count:x', 3]] });
    await store.write({ add: [['count:x', -1]] });
    expect(await store.get('count:x')).toBe(2);
    await store.write({ set: [['count:z', 7], ['count:s', 1]] });
    await Promise.all([
      store.write({ add: [['count:y', 5], ['count:z', 1], ['count:s', 2]] }),
      store.write({ set: [['count:y', 10], ['count:s', 'no number']], delete: ['count:z'] }),
      store.write({ add: [['count:x', 1]] }),
    ]);
    expect(await store.getMany(['count:x', 'count:y', 'count:z', 'count:s'])).toEqual([3, 15, 1, 2]);
  });

  it('loses nothing when many writers add to one collection at once', async () => {
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.write({ set: [[`d:e:${String(i).padStart(4, '0')}`, i]] })));
    expect(await store.count('d:e:')).toBe(300);
  });

  it('searches values where they are stored, newest first, with the total of all matches', async () => {
    await store.write({
      set: [
        ['find:e:1', { t: ' refund asked ', e: 'refund.created', j: { order: { id: 1234, total: 250, paid: true }, items: [{ sku: 'mug' }] } }],
        ['find:e:2', { t: ' new order ', e: 'order.created', j: { order: { id: '1234', total: 1800, paid: false } } }],
        ['find:e:3', { t: ' paid 100% ', e: 'Invoice_Paid', j: { order: { id: 99, total: 'many' }, note: null } }],
        ['find:f:1', { t: ' refund ', e: 'refund.created' }],
      ],
    });
    const keys = async (...where: ValueCondition[]) => (await store.search(['find:e:'], { where })).keys;
    expect(await keys({ kind: 'contains', field: 't', text: ' refund ' })).toEqual(['find:e:1']);
    expect(await keys({ kind: 'contains', field: 't', text: '100%' })).toEqual(['find:e:3']);
    expect(await keys({ kind: 'like', field: 'e', pattern: '*.CREATED' })).toEqual(['find:e:2', 'find:e:1']);
    expect(await keys({ kind: 'like', field: 'e', pattern: 'invoice_*' })).toEqual(['find:e:3']);
    expect(await keys({ kind: 'like', field: 'e', pattern: 'invoice%paid' })).toEqual([]);
    expect(await keys({ kind: 'equals', field: 'e', value: 'order.created' })).toEqual(['find:e:2']);
    expect(await keys({ kind: 'json', field: 'j', path: ['order', 'id'], op: '=', value: 1234 })).toEqual(['find:e:2', 'find:e:1']);
    expect(await keys({ kind: 'json', field: 'j', path: ['order', 'id'], op: '=', value: '1234' })).toEqual(['find:e:2']);
    expect(await keys({ kind: 'json', field: 'j', path: ['order', 'paid'], op: '=', value: false })).toEqual(['find:e:2']);
    expect(await keys({ kind: 'json', field: 'j', path: ['note'], op: '=', value: null })).toEqual(['find:e:3']);
    expect(await keys({ kind: 'json', field: 'j', path: ['items', 0, 'sku'], op: '=', value: 'mug' })).toEqual(['find:e:1']);
    expect(await keys({ kind: 'json', field: 'j', path: ['order', 'total'], op: '>', value: 200 })).toEqual(['find:e:2', 'find:e:1']);
    expect(await keys({ kind: 'json', field: 'j', path: ['order', 'total'], op: '<', value: 1000 }, { kind: 'like', field: 'e', pattern: 'refund*' })).toEqual(['find:e:1']);
    expect(await store.search(['find:e:'], { where: [], limit: 1, to: '3' })).toEqual({ keys: ['find:e:2'], total: 2 });
  });

  it('searches several prefixes in one pass, newest after its prefix first, with one total', async () => {
    await store.write({ set: [['find:a:3', { e: 'x' }], ['find:a:1', { e: 'x' }], ['find:bb:2', { e: 'x' }], ['find:bb:4', { e: 'y' }], ['find:c:5', { e: 'x' }]] });
    expect(await store.search(['find:a:', 'find:bb:'], { where: [{ kind: 'equals', field: 'e', value: 'x' }], limit: 2 })).toEqual({ keys: ['find:a:3', 'find:bb:2'], total: 3 });
    expect(await store.search(['find:a:', 'find:bb:'], { where: [], from: '2', to: '4' })).toEqual({ keys: ['find:a:3', 'find:bb:2'], total: 2 });
    expect(await store.search([], { where: [] })).toEqual({ keys: [], total: 0 });
  });

  it('finds a row by the words written with it, whole words in a row, or by the padded text of a row stored before', async () => {
    await store.write({
      set: [['find:e:1', { n: 1 }], ['find:e:2', { n: 2 }], ['find:e:3', { t: ' an older refund ' }], ['find:f:1', { n: 3 }]],
      words: [['find:e:1', ' refund issued ¦ order 7 '], ['find:e:2', ' order issued '], ['find:f:1', ' refund ']],
    });
    const found = async (...words: string[]) => (await store.search(['find:e:'], { where: [{ kind: 'words', words, field: 't' }] })).keys;
    expect(await found('refund')).toEqual(['find:e:3', 'find:e:1']);
    expect(await found('issued')).toEqual(['find:e:2', 'find:e:1']);
    expect(await found('refund', 'issued')).toEqual(['find:e:1']);
    expect(await found('issued', 'order')).toEqual([]);
    expect(await found('issue')).toEqual([]);
    expect(await store.get('find:e:1')).toEqual({ n: 1 });
    // A stranger's text is only ever words, never query syntax.
    expect(await found('"', 'and', 'near(order', 'n:', '^order*')).toEqual([]);
  });

  it('keeps a row\'s words through a set without words, and removes them with the row however it goes', async () => {
    await store.write({ set: [['find:e:1', { n: 1 }], ['find:e:2', { n: 2 }], ['find:e:3', { n: 3 }]], words: [['find:e:1', ' kept '], ['find:e:2', ' dropped '], ['find:e:3', ' ranged ']] });
    const found = async (word: string) => (await store.search(['find:e:'], { where: [{ kind: 'words', words: [word], field: 't' }] })).keys;
    await store.write({ set: [['find:e:1', { n: 10 }]] });
    expect(await found('kept')).toEqual(['find:e:1']);
    // The newest row goes, and SQLite may give its rowid to the next: that row must not find its words.
    await store.write({ delete: ['find:e:3'] });
    await store.write({ set: [['find:e:4', { n: 4 }]] });
    expect(await found('ranged')).toEqual([]);
    await store.keepNewest('find:e:', 2);
    await store.write({ set: [['find:e:5', { n: 5 }]] });
    expect(await found('kept')).toEqual([]);
    await store.deleteRange('find:e:');
    await store.write({ set: [['find:e:6', { n: 6 }], ['find:e:7', { n: 7 }]] });
    expect(await found('dropped')).toEqual([]);
  });

  it('keeps what was written after the store is reopened', async () => {
    await store.write({ set: [['k', 'v']] });
    await store.close();
    store = await openTestStore(url);
    expect(await store.get('k')).toBe('v');
  });
});

describe('the sqlite store', () => {
  let url: string;
  let store: KeyValueStore;

  beforeEach(async () => {
    url = tempDatabaseUrl();
    store = await createSqliteStore(url);
  });
  afterEach(() => store.close());

  it('creates its folder and runs in WAL mode, a new file with 8 KB pages', async () => {
    const adapter = new KeyvSqlite({ uri: url });
    expect(await adapter.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await adapter.query('PRAGMA page_size')).toEqual([{ page_size: 8192 }]);
    await adapter.disconnect();
  });

  it('compares JSON paths in a delivery\'s body where it is stored, when the row says it is JSON, and a body it cannot parse matches nothing', async () => {
    const delivery = (id: string, body: string): Delivery => ({ id, endpointId: 'e', receivedAt: 0, method: 'POST', subPath: '', query: '', sourceIp: '', headers: [], body: Buffer.from(body).toString('base64'), size: body.length });
    await store.write({
      set: [
        ['delivery:e:1', encodeDelivery(delivery('1', '{"order":{"total":250,"paid":true}}'))],
        ['delivery:e:2', encodeDelivery(delivery('2', '\ufeff{"order":{"total":900}}'))],
        ['delivery:e:3', encodeDelivery(delivery('3', '{"order":{"total":700}}'))],
        ['find:e:1', { b: true }],
        ['find:e:2', { b: true }],
        ['find:e:3', {}],
        ['find:e:4', { j: { order: { total: 300 } } }],
      ],
    });
    const found = async (path: string[], op: '=' | '>', value: number | boolean) => (await store.search(['find:e:'], { where: [{ kind: 'json', field: 'j', path, op, value, body: { flag: 'b', keyPrefix: 'find:', rowsPrefix: 'delivery:' } }] })).keys;
    expect(await found(['order', 'total'], '>', 200)).toEqual(['find:e:4', 'find:e:1']);
    expect(await found(['order', 'paid'], '=', true)).toEqual(['find:e:1']);
    expect(await found(['order', 'total'], '=', 250)).toEqual(['find:e:1']);
  });

  it('writes rows that plain keyv reads, in keyv\'s namespace', async () => {
    await store.write({ set: [['endpoint:x', { name: 'stripe' }]] });
    const keyv = new Keyv({ store: new KeyvSqlite({ uri: url }), namespace: 'hw' });
    expect(await keyv.get('endpoint:x')).toEqual({ name: 'stripe' });
    await keyv.disconnect();
  });

  it('stores bytes as a BLOB', async () => {
    await store.write({ set: [['b:1', Buffer.from([0, 255, 123, 34, 10])]] });
    const adapter = new KeyvSqlite({ uri: url });
    expect(await adapter.query("SELECT typeof(value) AS type, length(value) AS size FROM keyv WHERE key = 'hw:b:1'")).toEqual([{ type: 'blob', size: 5 }]);
    await adapter.disconnect();
  });

  it('adds to a count key that plain keyv reads as a number', async () => {
    await store.write({ add: [['count:x', 3]] });
    await store.write({ add: [['count:x', -1]] });
    const keyv = new Keyv({ store: new KeyvSqlite({ uri: url }), namespace: 'hw' });
    expect(await keyv.get('count:x')).toBe(2);
    await keyv.disconnect();
  });

  it('opens a file made by plain keyv as it is, pages and rows', async () => {
    const older = tempDatabaseUrl();
    const keyv = new Keyv({ store: new KeyvSqlite({ uri: older }), namespace: 'hw' });
    await keyv.set('endpoint:x', { name: 'stripe' });
    await keyv.disconnect();
    const reopened = await createSqliteStore(older);
    const pages = await reopened.scan('endpoint:');
    await reopened.close();
    const adapter = new KeyvSqlite({ uri: older });
    expect([pages, await adapter.query('PRAGMA page_size')]).toEqual([[{ key: 'endpoint:x', value: { name: 'stripe' } }], [{ page_size: 4096 }]]);
    await adapter.disconnect();
  });

});

describe.each(storeKinds)('retention on %s', (kind) => {
  it('trims a touched endpoint to the newest n and drops deliveries older than the age limit', async () => {
    const store = await openTestStore(await newDatabaseUrl(kind));
    const now = Date.UTC(2026, 10, 26);
    const day = 86_400_000;
    const endpoints = createEndpointRepository(store, () => now);
    const ids = [40, 20, 3, 2, 1, 0].map((daysAgo) => deliveryIdFloor(now - daysAgo * day));
    await store.write({ set: ids.map((id): [string, string] => [`delivery:e1:${id}`, id]) });
    const retention = createRetention({ store, endpoints, eventIds: createEventIdIndex(store), maxDeliveries: 3, maxAgeMs: 30 * day, now: () => now, onError: (error) => { throw error; } });
    retention.touch('e1');
    await retention.flush();
    expect((await store.scan('delivery:e1:')).map((entry) => entry.value)).toEqual(ids.slice(3));
    await retention.stop();
    await store.close();
  });
});

describe('retention in the running service', () => {
  it('keeps only RETENTION_DELIVERIES per endpoint, soon after they arrive', async () => {
    const service = await startTestService(testConfig({ RETENTION_DELIVERIES: '3' }), [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new busy'));
    for (let i = 0; i < 5; i++) await fetch(url, { method: 'POST', body: `n${i}` });
    const stored = async () => (await say(service, 'show busy')).fields?.find((field) => field.label === 'Stored deliveries')?.value;
    await expect.poll(stored, { timeout: 5000 }).toMatch(/^3 /);
    await service.stop();
  });
});
