import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.ts';
import { startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { loadThroughKill } from '../helpers/load-through-kill.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/postgres-database.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';
import { openTestStore } from '../helpers/test-stores.ts';

const text = (message: Message) => [message.title, ...(message.lines ?? []), ...(message.fields ?? []).map((field) => `${field.label}: ${field.value}`)].join('\n');

describe.skipIf(!testPostgresUrl)('the whole service on PostgreSQL, one process', () => {
  const running: Array<TestService | RelayTarget> = [];
  afterEach(async () => {
    for (const item of running.splice(0).reverse()) 'close' in item ? await item.close() : await item.stop();
  });

  it('notifies, answers every command from the database, forwards, and finds it all again after a restart', async () => {
    const config = testConfig({ DATABASE_URL: await createTestDatabase(), FORWARD_ALLOW_PRIVATE: 'true' });
    const target = await startRelayTarget();
    const chat = createRecordingChannel();
    const first = await startTestService(config, [chat.channel]);
    running.push(target, first);

    const url = localUrl(first, await say(first, 'new stripe'));
    const paid = (await (await postFixture(url, fixtureNamed('stripe'))).json()) as { id: string };
    await chat.waitFor(1);
    expect(text(chat.sent[0]!.message)).toContain(paid.id);
    expect(text(await say(first, `forward stripe ${target.url}`))).toContain(target.url);
    const order = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"order.created","order":{"total":1800}}' })).json()) as { id: string };
    await target.waitFor(1);
    expect(target.received[0]!.body.toString()).toBe('{"type":"order.created","order":{"total":1800}}');
    await chat.waitFor(2);

    expect(text(await say(first, 'last stripe'))).toMatch(new RegExp(`${order.id}[\\s\\S]*${paid.id}`));
    expect(text(await say(first, 'show stripe'))).toMatch(/Stored deliveries: 2 /);
    expect(text(await say(first, 'find order.total>1000'))).toContain(order.id);
    expect(text(await say(first, 'find payment_intent.succeeded'))).toContain(paid.id);
    expect(text(await say(first, 'stats stripe'))).toMatch(/^2 deliveries since [\s\S]*payment_intent.succeeded: 1 \(50%\)\norder.created: 1 \(50%\)/m);
    expect(text(await say(first, 'mute stripe 1h'))).toMatch(/muted/i);

    // JSON that jsonb cannot hold (a NUL, a lone surrogate) is stored and told like any other delivery.
    const hostile = localUrl(first, await say(first, 'new hostile'));
    const unholdable = ['{"note":"a\\u0000b"}', '{"note":"\\ud800"}'];
    for (const body of unholdable) expect((await fetch(hostile, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
    await chat.waitFor(4);
    expect(text(await say(first, 'show hostile'))).toMatch(/Stored deliveries: 2 /);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await startTestService(config, [chat.channel]);
    running.push(second);
    expect(text(await say(second, 'last stripe'))).toMatch(new RegExp(`${order.id}[\\s\\S]*${paid.id}`));
    expect(text(await say(second, 'show stripe'))).toMatch(/Notifications: muted until /);
    expect(text(await say(second, 'forward stripe'))).toContain(target.url);
    // The first service's port is gone: the endpoint's path on the new one.
    const afterRestart = (await (await fetch(second.url + new URL(url).pathname, { method: 'POST', body: 'after restart' })).json()) as { id: string };
    await target.waitFor(2);
    expect(target.received[1]!.rawHeaders.find(([name]) => name.toLowerCase() === 'x-hookwatch-delivery')?.[1]).toBe(afterRestart.id);
    expect(text(await say(second, 'show stripe'))).toMatch(/Stored deliveries: 3 /);
  });

  it('starts again after a SIGKILL mid-burst and still holds every delivery it answered 2xx, as npm start runs it', async () => {
    const env = { DATABASE_URL: await createTestDatabase(), PORT: String(await freePort()) };
    let service: SpawnedService = await spawnService(env);
    try {
      service.send('new burst');
      const url = (await service.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/))[1]!;
      const answered = await loadThroughKill({
        deliveries: 300,
        concurrency: 10,
        async send(n) {
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'charge.succeeded', n }) }).catch(() => undefined);
          return response?.status === 200 ? ((await response.json()) as { id: string }).id : undefined;
        },
        async restart() {
          await service.stop('SIGKILL');
          service = await spawnService(env);
        },
      });
      expect(answered.length).toBeGreaterThan(240);
      const store = await openTestStore(env.DATABASE_URL);
      const stored = new Set((await store.scan('delivery:', { keysOnly: true })).map((entry) => entry.key.slice(-16)));
      await store.close();
      expect(answered.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await service.stop('SIGKILL');
    }
  }, 60_000);
});
