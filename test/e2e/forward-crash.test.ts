import { afterAll, describe, expect, it } from 'vitest';
import { startRelayTarget, receivedHeader, type RelayTarget } from '../fakes/relay-target.ts';
import { loadThroughKill } from '../helpers/load-through-kill.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

const DELIVERIES = 400;
const CONCURRENCY = 20;

describe('forwarding across a kill -9, driven through the console chat of a spawned service', () => {
  let service: SpawnedService;
  let target: RelayTarget;
  afterAll(async () => {
    await service.stop('SIGKILL');
    await target.close();
  });

  it('relays every delivery answered 2xx to the target, also those queued or in flight when the process was killed', async () => {
    // A target a little slow to answer, so relays are queued and in flight when the kill comes.
    target = await startRelayTarget(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 20)));
    const env = { DATABASE_URL: tempDatabaseUrl(), PORT: String(await freePort()), FORWARD_ALLOW_PRIVATE: 'true' };
    service = await spawnService(env);
    service.send('new stripe');
    const url = (await service.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/))[1]!;
    service.send(`forward stripe ${target.url}/hooks`);
    await service.waitFor(/== stripe forwards to http:\/\/127\.0\.0\.1:\d+\/hooks ==/);

    const relayedIds = () => new Set(target.received.map((relay) => receivedHeader(relay, 'x-hookwatch-delivery')));
    let pendingAtKill: string[] = [];
    const answered = await loadThroughKill({
      deliveries: DELIVERIES,
      concurrency: CONCURRENCY,
      async send(n) {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'charge.succeeded', n }) }).catch(() => undefined);
        return response?.status === 200 ? ((await response.json()) as { id: string }).id : undefined;
      },
      async restart(answeredSoFar) {
        await service.stop('SIGKILL');
        const relayed = relayedIds();
        pendingAtKill = answeredSoFar.filter((id) => !relayed.has(id));
        service = await spawnService(env);
      },
    });
    expect(answered.length).toBeGreaterThan(DELIVERIES * 0.8);
    // Relays were still to do when the process died (else this proves nothing); the restarted process sent them.
    expect(pendingAtKill.length).toBeGreaterThan(0);
    await expect.poll(() => answered.filter((id) => !relayedIds().has(id)), { timeout: 30_000, interval: 200 }).toEqual([]);
    expect(target.received.every((relay) => relay.url === '/hooks')).toBe(true);
  }, 90_000);
});
