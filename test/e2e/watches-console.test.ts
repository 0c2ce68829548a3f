import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from '../fakes/api-server.ts';
import { startClockedService, type ClockedService, type MovableClock } from '../helpers/start-clocked-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

const MINUTE = 60_000;
const order = (fields: Record<string, unknown>) => JSON.stringify({ id: 42, status: 'pending', updated_at: 't1', items: [1, 2], ...fields });

describe('API watches in the console chat, against a local API that changes on cue', () => {
  const running: ClockedService[] = [];
  const apis: FakeApi[] = [];
  const start = async (env: Record<string, string>, clock: MovableClock) => {
    const service = await startClockedService({ FORWARD_ALLOW_PRIVATE: 'true', ...env }, clock);
    running.push(service);
    await service.waitFor(/== hookwatch console chat ==/);
    return service;
  };
  const api = async () => {
    const started = await FakeApi.start();
    apis.push(started);
    return started;
  };
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop();
    for (const started of apis.splice(0)) await started.close();
  });

  async function command(service: ClockedService, line: string, title: RegExp): Promise<string> {
    const from = service.output().length;
    service.type(line);
    return (await service.waitFor(new RegExp(`${title.source}[^=]*`), from))[0];
  }
  const count = (service: ClockedService, text: string) => service.output().split(text).length - 1;

  it('tells the first answer, then only changes as paths, with a Diff button; unchanged and ignored answers say nothing', async () => {
    const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    const orders = await api();
    orders.answer = { status: 200, body: order({}), etag: '"v1"' };

    expect(await command(service, `watch ${orders.url()} every 1m as order42`, /== Watching order42 ==/)).toContain(`GET ${orders.url()} every 1m.`);
    await service.watches.settle();
    await service.waitFor(/== Watching order42: first answer HTTP 200 · application\/json · 60 B ==/);

    clock.ms += MINUTE;
    await service.watches.settle();
    expect(orders.requests.at(-1)!['if-none-match']).toBe('"v1"');

    orders.answer = { status: 200, body: order({ status: 'paid', updated_at: 't2', items: [1, 2, 3] }), etag: '"v2"' };
    clock.ms += MINUTE;
    await service.watches.settle();
    const changed = (await service.waitFor(/== order42 changed: 3 changes ==[^=]*/))[0];
    expect(changed).toContain('items[2] added: 3\nstatus: "pending" -> "paid"\nupdated_at: "t1" -> "t2"');
    const id = /\[Diff: diff (\w+)\]/.exec(changed)![1]!;
    expect(await command(service, `diff ${id}`, /== Diff of \w+ against \w+ ==/)).toContain('status: "pending" -> "paid"');

    expect(await command(service, 'watch order42 ignore updated_at', /== order42 ignores updated_at ==/)).toBeTruthy();
    orders.answer = { status: 200, body: order({ status: 'paid', updated_at: 't3', items: [1, 2, 3] }), etag: '"v3"' };
    clock.ms += MINUTE;
    await service.watches.settle();
    orders.answer = { status: 200, body: order({ status: 'paid', updated_at: 't4', items: [1, 2, 3] }), etag: '"v4"' };
    clock.ms += MINUTE;
    await service.watches.settle();
    // The change that would follow an untold one: when it is here, an unwanted message would be too.
    orders.answer = { status: 200, body: order({ status: 'shipped', updated_at: 't5', items: [1, 2, 3] }), etag: '"v5"' };
    clock.ms += MINUTE;
    await service.watches.settle();
    expect((await service.waitFor(/== order42 changed: 1 change ==\n.*/))[0]).toContain('status: "paid" -> "shipped"');
    expect(count(service, '== order42 changed')).toBe(2);
    expect(orders.requests).toHaveLength(6);

    const listed = await command(service, 'watches', /== Watches \(1\) ==/);
    expect(listed).toContain(`order42: ${orders.url()} · every 1m · HTTP 200 0s ago · changed 0s ago`);
    const last = await command(service, 'last order42', /== .* ==/);
    expect(last).toContain('· GET / · Watch · changed · HTTP 200 · 62 B · application/json');
    expect(last).toContain('· GET / · Watch · baseline · HTTP 200 · 60 B · application/json');
  });

  it('opens one alert for an error status, waits out its Retry-After, and resolves it when the API answers again', async () => {
    const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    const orders = await api();
    await command(service, `watch ${orders.url()} 30s orders`, /== Watching orders ==/);
    await service.watches.settle();
    await service.waitFor(/first answer HTTP 200/);

    orders.answer = { status: 503, body: 'down for maintenance', contentType: 'text/plain', headers: { 'retry-after': '300' } };
    clock.ms += 30_000;
    await service.watches.settle();
    const alert = (await service.waitFor(/== orders: API failing for 0s ==\n.*/))[0];
    expect(alert).toContain('Last poll: answered 503.');
    const polled = orders.requests.length;

    clock.ms += 4 * MINUTE;
    await service.watches.settle();
    expect(orders.requests).toHaveLength(polled);

    orders.answer = { status: 200, body: '{}', hangUp: true };
    clock.ms += 2 * MINUTE;
    await service.watches.settle();
    expect(orders.requests).toHaveLength(polled + 1);
    expect(await command(service, 'watches', /== Watches \(1\) ==/)).toContain('connection');

    orders.answer = { status: 200, body: '{}' };
    clock.ms += 10 * MINUTE;
    await service.watches.settle();
    expect((await service.waitFor(/== orders: API answering again after \d+m ==\n.*/))[0]).toContain('Resolved by a poll answered 200.');
    expect(count(service, 'API failing for')).toBe(1);
    expect(count(service, '== orders changed')).toBe(0);
  });

  it('sends a header with every poll and shows it masked everywhere', async () => {
    const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    const orders = await api();
    await command(service, `watch ${orders.url()} every 1m as order42`, /== Watching order42 ==/);
    const secret = 'Bearer sk_live_abcdef0123456789';
    expect(await command(service, `watch order42 header Authorization ${secret}`, /== order42 sends Authorization: Bearer ••••6789 ==/)).toBeTruthy();
    await service.watches.settle();
    expect(orders.requests.at(-1)!.authorization).toBe(secret);
    expect(await command(service, 'watch order42', /== Watch order42 ==/)).toContain('Headers: Authorization: Bearer ••••6789');
    await service.waitFor(/first answer/);
    expect(service.output()).not.toContain('sk_live');
  });

  it('refuses a private address unless FORWARD_ALLOW_PRIVATE=true, and any URL but http and https', async () => {
    const service = await start({ FORWARD_ALLOW_PRIVATE: 'false' }, { ms: Date.parse('2026-11-26T09:00:00Z') });
    const refusal = (line: string) => command(service, line, /== .* ==/);
    expect(await refusal('watch http://127.0.0.1:9/orders')).toContain('== 127.0.0.1 is a private, loopback or otherwise non-public address (127.0.0.1): hookwatch does not poll those unless FORWARD_ALLOW_PRIVATE=true. ==');
    expect(await refusal('watch http://[::1]:9/orders')).toContain('non-public address (::1)');
    expect(await refusal('watch ftp://example.com/x')).toContain('== Only http and https URLs can be watched, not ftp. ==');
    expect(await refusal('watch https://user:pw@example.com/x')).toContain('Leave credentials out of the URL');
    expect(await command(service, 'watches', /== .* ==/)).toContain('== No watches ==');
  });

  it('refuses intervals outside 30s..1d and a 51st watch in a chat', async () => {
    const service = await start({}, { ms: Date.parse('2026-11-26T09:00:00Z') });
    const orders = await api();
    const refusal = (line: string) => command(service, line, /== .* ==/);
    expect(await refusal(`watch ${orders.url()} 10s`)).toContain('== Watches poll every 30s to 1d, not every 10s. ==');
    expect(await refusal(`watch ${orders.url()} every 2d`)).toContain('== Watches poll every 30s to 1d, not every 2d. ==');
    expect(await refusal(`watch ${orders.url()} every soon`)).toContain('== "soon" is not an interval: use 30s to 1d, e.g. 5m. ==');
    for (let n = 1; n <= 50; n++) await command(service, `watch ${orders.url(`/${n}`)} 1d w${n}`, /== Watching w\d+ ==/);
    // The first answers of the 50 are told as their polls end, so wait for the refusal's own title rather than the next one.
    expect(await command(service, `watch ${orders.url('/51')} 1d w51`, /== This chat watches [^=]*==/)).toContain('== This chat watches 50 APIs, the most it can. unwatch <name> one first. ==');
  });

  it('keeps its schedule across a restart: a poll missed while down runs once on start, not a backlog', async () => {
    const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };
    const databaseUrl = tempDatabaseUrl();
    const first = await start({ DATABASE_URL: databaseUrl }, clock);
    const orders = await api();
    await command(first, `watch ${orders.url()} 30s orders`, /== Watching orders ==/);
    await first.watches.settle();
    await first.waitFor(/first answer/);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    clock.ms += 10 * MINUTE;
    orders.answer = { status: 200, body: '{"state":"new"}' };
    const second = await start({ DATABASE_URL: databaseUrl }, clock);
    await second.watches.settle();
    expect((await second.waitFor(/== orders changed: 1 change ==[^=]*/))[0]).toContain('state added: "new"');
    expect(orders.requests).toHaveLength(2);
    expect(await command(second, 'unwatch orders', /== No longer watching orders ==/)).toContain('last orders');
    clock.ms += 10 * MINUTE;
    await second.watches.settle();
    expect(orders.requests).toHaveLength(2);
  });
});
