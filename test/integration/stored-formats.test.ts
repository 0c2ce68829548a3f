import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import { keys } from '../../src/store/keys.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { earlierDeliveryFormat } from '../helpers/earlier-delivery-format.ts';
import { fixtureBytes, fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig } from '../helpers/start-test-service.ts';

const stripe = fixtureNamed('stripe');

/**
 * A database with a stripe endpoint and one delivery (and what else `rows` gives for it) written as an
 * earlier version wrote them; the service started on it again, with a delivery of today posted.
 */
async function serviceOnEarlierRows(rows: (old: Delivery) => Array<[string, unknown]>) {
  const config = testConfig();
  const first = await startTestService(config, [createRecordingChannel().channel]);
  const url = localUrl(first, await say(first, 'new stripe'));
  const endpointId = (await say(first, 'show stripe')).fields?.find((field) => field.label === 'Id')?.value ?? '';
  await first.stop();

  const body = fixtureBytes(stripe);
  const old: Delivery = { id: '01jd0000000abcde', endpointId, receivedAt: Date.now() - 60_000, method: 'POST', subPath: '', query: '', headers: Object.entries(stripe.headers), body: body.toString('base64'), size: body.length, sourceIp: '127.0.0.1' };
  const store = await createSqliteStore(config.DATABASE_URL);
  await store.write({ set: rows(old), add: [[keys.countOf(keys.deliveries(endpointId)), 1]] });
  await store.close();

  const service = await startTestService(config, [createRecordingChannel().channel]);
  const { id } = (await (await postFixture(service.url + new URL(url).pathname, stripe)).json()) as { id: string };
  return { service, old, id };
}

describe('a database written by an earlier version', () => {
  it('serves its deliveries (JSON, body base64) beside the ones stored now', async () => {
    // The row as versions before stored deliveries as bytes wrote it.
    const { service, old, id } = await serviceOnEarlierRows((old) => [[keys.delivery(old.endpointId, old.id), old]]);
    const payloads = [await say(service, `payload ${old.id}`), await say(service, `payload ${id}`)];
    const listed = await say(service, 'last stripe 5');
    await service.stop();

    expect(payloads.map((reply) => reply.code?.content)).toEqual([expect.stringContaining('payment_intent.succeeded'), expect.stringContaining('payment_intent.succeeded')]);
    expect(JSON.stringify(listed)).toContain(old.id);
    expect(JSON.stringify(listed)).toContain(id);
  });

  it('finds its deliveries (bytes, all deflated) by the find entries it wrote (words and JSON inside the entry), beside the ones stored now', async () => {
    // The rows as versions before kept words apart wrote them: the find entry's words padded in `t`, the body in `j`.
    const entry = { t: ' evt 1 | payment intent succeeded | legacyword ', j: { type: 'payment_intent.succeeded', data: { object: { legacy: 'yes', amount: 4200 } } }, e: 'payment_intent.succeeded', p: 'stripe', s: 'unsigned' };
    const { service, old, id } = await serviceOnEarlierRows((old) => [[keys.delivery(old.endpointId, old.id), earlierDeliveryFormat(old, 1)], [keys.findEntry(old.endpointId, old.id), entry]]);
    const found = async (query: string) => ((await say(service, `find stripe ${query}`)).lines ?? []).map((line) => line.split(' · ')[0]).filter((line) => /^[0-9a-z]{16}$/.test(line!));
    const payload = (await say(service, `payload ${old.id}`)).code?.content;
    const results = [await found('legacyword'), await found('data.object.legacy=yes'), await found('data.object.amount>1000'), await found('"intent succeeded"'), await found('succeeded legacyword')];
    await service.stop();

    expect(payload).toContain('payment_intent.succeeded');
    expect(results).toEqual([[old.id], [old.id], [id, old.id], [id, old.id], [old.id]]);
  });
});
