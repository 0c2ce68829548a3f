import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import { keys } from '../../src/store/keys.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { fixtureBytes, fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig } from '../helpers/start-test-service.ts';

describe('a database written by an earlier version', () => {
  it('serves its deliveries (JSON, body base64) beside the ones stored now', async () => {
    const config = testConfig();
    const first = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(first, await say(first, 'new stripe'));
    const endpointId = (await say(first, 'show stripe')).fields?.find((field) => field.label === 'Id')?.value ?? '';
    await first.stop();

    // The row as versions before stored deliveries as bytes wrote it.
    const stripe = fixtureNamed('stripe');
    const body = fixtureBytes(stripe);
    const old: Delivery = { id: '01jd0000000abcde', endpointId, receivedAt: Date.now() - 60_000, method: 'POST', subPath: '', query: '', headers: Object.entries(stripe.headers), body: body.toString('base64'), size: body.length, sourceIp: '127.0.0.1' };
    const store = await createSqliteStore(config.DATABASE_URL);
    await store.write({ set: [[keys.delivery(endpointId, old.id), old]], add: [[keys.countOf(keys.deliveries(endpointId)), 1]] });
    await store.close();

    const second = await startTestService(config, [createRecordingChannel().channel]);
    const response = await postFixture(second.url + new URL(url).pathname, stripe);
    const { id } = (await response.json()) as { id: string };
    const payloads = [await say(second, `payload ${old.id}`), await say(second, `payload ${id}`)];
    const listed = await say(second, 'last stripe 5');
    await second.stop();

    expect(payloads.map((reply) => reply.code?.content)).toEqual([expect.stringContaining('payment_intent.succeeded'), expect.stringContaining('payment_intent.succeeded')]);
    expect(JSON.stringify(listed)).toContain(old.id);
    expect(JSON.stringify(listed)).toContain(id);
  });

  it('finds its deliveries by the find entries it wrote (words and JSON inside the entry), beside the ones stored now', async () => {
    const config = testConfig();
    const first = await startTestService(config, [createRecordingChannel().channel]);
    const url = localUrl(first, await say(first, 'new stripe'));
    const endpointId = (await say(first, 'show stripe')).fields?.find((field) => field.label === 'Id')?.value ?? '';
    await first.stop();

    const stripe = fixtureNamed('stripe');
    const body = fixtureBytes(stripe);
    const old: Delivery = { id: '01jd0000000abcde', endpointId, receivedAt: Date.now() - 60_000, method: 'POST', subPath: '', query: '', headers: Object.entries(stripe.headers), body: body.toString('base64'), size: body.length, sourceIp: '127.0.0.1' };
    // The find entry as versions before kept words apart wrote it: the words padded in `t`, the body in `j`.
    const entry = { t: ' evt 1 | payment intent succeeded | legacyword ', j: { type: 'payment_intent.succeeded', data: { object: { legacy: 'yes', amount: 4200 } } }, e: 'payment_intent.succeeded', p: 'stripe', s: 'unsigned' };
    const store = await createSqliteStore(config.DATABASE_URL);
    await store.write({ set: [[keys.delivery(endpointId, old.id), old], [keys.findEntry(endpointId, old.id), entry]], add: [[keys.countOf(keys.deliveries(endpointId)), 1]] });
    await store.close();

    const second = await startTestService(config, [createRecordingChannel().channel]);
    const { id } = (await (await postFixture(second.url + new URL(url).pathname, stripe)).json()) as { id: string };
    const found = async (query: string) => ((await say(second, `find stripe ${query}`)).lines ?? []).map((line) => line.split(' · ')[0]).filter((line) => /^[0-9a-z]{16}$/.test(line!));
    const results = [await found('legacyword'), await found('data.object.legacy=yes'), await found('data.object.amount>1000'), await found('"intent succeeded"'), await found('succeeded legacyword')];
    await second.stop();

    expect(results).toEqual([[old.id], [old.id], [id, old.id], [id, old.id], [old.id]]);
  });
});
