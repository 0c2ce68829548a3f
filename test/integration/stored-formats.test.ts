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
});
