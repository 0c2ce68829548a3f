import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { pngHeader } from '../helpers/png-header.ts';
import { spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

describe('stats in the console chat of the running service', () => {
  const running: Array<SpawnedService | RelayTarget> = [];
  afterAll(async () => {
    for (const item of running) 'stop' in item ? await item.stop('SIGKILL') : await item.close();
  });

  async function start(env: Record<string, string> = {}): Promise<{ service: SpawnedService; databaseUrl: string; newEndpoint: (name: string) => Promise<string> }> {
    const databaseUrl = tempDatabaseUrl();
    const service = await spawnService({ DATABASE_URL: databaseUrl, ...env });
    running.push(service);
    const newEndpoint = async (name: string) => {
      const from = service.output().length;
      service.send(`new ${name}`);
      return (await service.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/, from))[1]!;
    };
    return { service, databaseUrl, newEndpoint };
  }

  it('prints the figures as text and the path of the chart it saved under the data folder', async () => {
    const { service, databaseUrl, newEndpoint } = await start();
    const url = await newEndpoint('stripe');
    for (let i = 0; i < 3; i++) expect((await postFixture(url, fixtureNamed('stripe'))).status).toBe(200);
    await fetch(url, { method: 'POST', body: 'plain' });
    const from = service.output().length;
    service.send('stats stripe 24h');
    const [reply, path] = await service.waitFor(/== Stats \(stripe, last 24h\) ==[\s\S]*?\nChart: (\S+\.png)\n/, from);
    expect(reply).toContain('4 deliveries since ');
    expect(reply).toContain('0 rejected as too large (413) · 0 invalid signatures');
    expect(reply).toContain('payment_intent.succeeded: 3 (75%)');
    expect(reply).toContain('POST /: 1 (25%)');
    expect(reply).not.toContain('Forwarding');
    expect(dirname(path!)).toBe(join(dirname(databaseUrl.replace('sqlite://', '')), 'charts'));
    expect(pngHeader(readFileSync(path!))).toEqual({ width: 900, height: 450 });
  });

  it('adds, per endpoint that forwards, its relays delivered, failed and pending and the p50 answer time', async () => {
    // The app refuses one delivery for good and asks to be tried again in an hour for another, which stays queued.
    const target = await startRelayTarget((relay) => {
      const body = relay.body.toString();
      return body === 'refuse' ? { status: 400 } : body === 'later' ? { status: 503, headers: { 'retry-after': '3600' } } : { status: 200 };
    });
    running.push(target);
    const { service, newEndpoint } = await start({ FORWARD_ALLOW_PRIVATE: 'true' });
    const shop = await newEndpoint('shop');
    const plain = await newEndpoint('plain');
    service.send(`forward shop ${target.url}`);
    await service.waitFor(/shop forwards to /);
    for (const body of ['ok', 'ok', 'refuse', 'later']) await fetch(shop, { method: 'POST', body });
    await fetch(plain, { method: 'POST', body: 'ok' });
    await target.waitFor(4);

    const stats = async () => {
      const from = service.output().length;
      service.send('stats 24h');
      return (await service.waitFor(/== Stats \(all endpoints, last 24h\) ==[\s\S]*?\nChart: \S+\.png\n/, from))[0];
    };
    // The relays settle a moment after the app answers.
    await expect.poll(stats, { timeout: 5000 }).toMatch(/\nForwarding shop: 2 delivered · 1 failed · 1 pending · answer p50 \d+ ms\n/);
    const reply = await stats();
    expect(reply).toContain('5 deliveries since ');
    expect(reply).not.toContain('Forwarding plain');
  });
});
