import { afterEach, describe, expect, it } from 'vitest';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { startClockedService, type ClockedService, type MovableClock } from '../helpers/start-clocked-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string) => Date.parse(iso);

describe('alerts in the console chat, with a clock the test moves', () => {
  const running: ClockedService[] = [];
  const start = async (env: Record<string, string>, clock: MovableClock) => {
    const service = await startClockedService(env, clock);
    running.push(service);
    await service.waitFor(/== hookwatch console chat ==/);
    return service;
  };
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop();
  });

  /** Types a command and returns the reply, up to the next blank-free title line. */
  async function command(service: ClockedService, line: string, title: RegExp): Promise<string> {
    const from = service.output().length;
    service.type(line);
    return (await service.waitFor(new RegExp(`${title.source}[^=]*`), from))[0];
  }

  async function newEndpoint(service: ClockedService, name: string): Promise<string> {
    const reply = await command(service, `new ${name}`, /== Endpoint \S+ created ==/);
    return service.url + new URL(/https:\/\/hooks\.example\.com\/wh\/[\w-]+/.exec(reply)![0]).pathname;
  }

  const count = (service: ClockedService, text: string) => service.output().split(text).length - 1;

  it('tells a silence once after the gap passes, and resolves it on the next delivery with how long it lasted', async () => {
    const clock = { ms: at('2026-11-26T09:14:00Z') };
    const service = await start({}, clock);
    const url = await newEndpoint(service, 'stripe');
    await fetch(url, { method: 'POST', body: '{"type":"ping"}' });
    await service.waitFor(/== stripe · POST \/ ==/);
    expect(await command(service, 'expect stripe 1h', /== Expecting stripe every 1h ==/)).toContain('when nothing arrives for 1h');

    clock.ms += 59 * MINUTE;
    await service.alerts.tick();
    expect(await command(service, 'alerts', /== No open alerts ==/)).toBeTruthy();

    clock.ms += 13 * MINUTE;
    await service.alerts.tick();
    const alert = (await service.waitFor(/== stripe silent for 1h 12m ==\n.*\n\[Acknowledge: ack (\w+)\]/))!;
    expect(alert[0]).toContain('Expected every 1h; last delivery 2026-11-26 09:14:00 UTC.');

    clock.ms += 2 * HOUR;
    await service.alerts.tick();
    const listed = await command(service, 'alerts', /== Open alerts \(1\) ==/);
    expect(listed).toContain(`stripe silent · ${alert[1]}`);
    expect(count(service, 'silent for')).toBe(1);

    clock.ms = at('2026-11-26T10:54:00Z') + 2 * HOUR;
    await fetch(url, { method: 'POST', body: '{"type":"ping"}' });
    const back = (await service.waitFor(/== stripe back after 3h 40m ==\n.*/))[0];
    expect(back).toMatch(/Resolved by delivery \w+\./);
    expect(await command(service, 'alerts', /== No open alerts ==/)).toBeTruthy();
  });

  it('answers a gap outside 1m..30d with the allowed range, and an unknown alert like any unknown id', async () => {
    const service = await start({}, { ms: at('2026-11-26T09:00:00Z') });
    await newEndpoint(service, 'stripe');
    for (const gap of ['10s', '90d', 'soon']) {
      expect(await command(service, `expect stripe ${gap}`, /== .* ==/)).toContain(`== "${gap}" is not a gap hookwatch watches: use 1m to 30d (e.g. expect stripe 1h), auto or off. ==`);
    }
    expect(await command(service, 'ack 0g3kx1q2', /== .* ==/)).toContain('== No alert "0g3kx1q2" in this chat. alerts lists the open ones with their ids. ==');
    expect(await command(service, 'show stripe', /== Endpoint stripe ==/)).toContain('Silence alerts: off (expect stripe 1h or expect stripe auto)');
  });

  it('reminds an unacknowledged alert every ALERT_REMIND_HOURS, and Acknowledge stops the reminders', async () => {
    const clock = { ms: at('2026-11-26T09:00:00Z') };
    const service = await start({ ALERT_REMIND_HOURS: '2' }, clock);
    await newEndpoint(service, 'cron');
    await command(service, 'expect cron 30m', /== Expecting cron every 30m ==/);
    clock.ms += 31 * MINUTE;
    await service.alerts.tick();
    const id = (await service.waitFor(/== cron silent for 31m ==[\s\S]*?\[Acknowledge: ack (\w+)\]/))[1]!;

    clock.ms += 2 * HOUR;
    await service.alerts.tick();
    expect((await service.waitFor(/== Still: cron silent for 2h 31m ==\n.*\n.*/))[0]).toContain('Open since 2026-11-26 09:31:00 UTC. Reminded until acknowledged.');

    expect(await command(service, `ack ${id}`, /== Acknowledged: cron silent ==/)).toContain('No reminders until it resolves');
    clock.ms += 5 * HOUR;
    await service.alerts.tick();
    await command(service, 'alerts', /== Open alerts \(1\) ==/);
    expect(count(service, '== Still: cron silent')).toBe(1);
    expect(await command(service, 'alerts', /== Open alerts \(1\) ==/)).toContain(`cron silent · ${id}: Expected every 30m; nothing since the expectation was set at 2026-11-26 09:00:00 UTC · opened 2026-11-26 09:31:00 UTC (7h ago) · acknowledged`);
  });

  it('ends an acknowledged alert when its endpoint is deleted', async () => {
    const clock = { ms: at('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    await newEndpoint(service, 'cron');
    await command(service, 'expect cron 30m', /== Expecting cron every 30m ==/);
    clock.ms += 31 * MINUTE;
    await service.alerts.tick();
    const id = (await service.waitFor(/== cron silent for 31m ==[\s\S]*?\[Acknowledge: ack (\w+)\]/))[1]!;
    await command(service, `ack ${id}`, /== Acknowledged: cron silent ==/);
    await command(service, 'delete cron confirm', /== cron deleted ==/);
    expect(await command(service, 'alerts', /== (No open alerts|Open alerts \(\d+\)) ==/)).toContain('== No open alerts ==');
  });

  it('finds a silence that began while hookwatch was down on start, and neither loses nor repeats an alert across restarts', async () => {
    const clock = { ms: at('2026-11-26T09:00:00Z') };
    const env = { DATABASE_URL: tempDatabaseUrl() };
    const first = await start(env, clock);
    const path = new URL(await newEndpoint(first, 'stripe')).pathname;
    await command(first, 'expect stripe 1h', /== Expecting stripe every 1h ==/);
    await first.stop();
    running.splice(0);

    clock.ms += 3 * HOUR;
    const second = await start(env, clock);
    const id = (await second.waitFor(/== stripe silent for 3h ==[\s\S]*?\[Acknowledge: ack (\w+)\]/))[1]!;
    await second.stop();
    running.splice(0);

    clock.ms += HOUR;
    const third = await start(env, clock);
    await third.alerts.tick();
    expect(await command(third, `ack ${id}`, /== Acknowledged: stripe silent ==/)).toBeTruthy();
    expect(count(third, 'silent for')).toBe(0);
    await fetch(third.url + path, { method: 'POST', body: 'back' });
    expect((await third.waitFor(/== stripe back after 4h ==/))[0]).toBeTruthy();
  });

  it('opens one alert for three invalid signatures in a row, naming the reason, and a valid one resolves it', async () => {
    const clock = { ms: at('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    const url = await newEndpoint(service, 'gh');
    const fixture = fixtureNamed('github');
    await command(service, 'secret gh not-the-real-secret', /== .* ==/);
    for (let i = 1; i <= 4; i++) {
      const from = service.output().length;
      await postFixture(url, fixture);
      await service.waitFor(/== gh · POST \/ ==[\s\S]*?\[Mute 1h: mute id:\w+ 1h\]/, from);
      clock.ms += MINUTE;
      // Two in a row are not yet a streak: ask after each, so a wrongly early alert would be printed by now.
      if (i === 2) expect(await command(service, 'alerts', /== No open alerts ==/)).toBeTruthy();
    }
    const alert = (await service.waitFor(/== gh: 3 deliveries in a row with an invalid signature ==\n.*/))[0];
    expect(alert).toContain('Reason: wrong secret or changed body. Check the signing secret set here and the sender\'s clock.');
    expect(count(service, 'in a row with an invalid signature')).toBe(1);

    await command(service, `secret gh ${fixture.secret!}`, /== .* ==/);
    await postFixture(url, fixture);
    expect((await service.waitFor(/== gh: signatures valid again after 4m ==\n.*/))[0]).toMatch(/Resolved by delivery \w+ with a valid signature\./);
  });

  it('names a stale timestamp once, however old each of the three deliveries was', async () => {
    const fixture = fixtureNamed('stripe');
    const clock = { ms: (fixture.timestamp! + 3600) * 1000 };
    const service = await start({}, clock);
    const url = await newEndpoint(service, 'pay');
    await command(service, `secret pay ${fixture.secret!}`, /== .* ==/);
    for (let i = 0; i < 3; i++) {
      await postFixture(url, fixture);
      clock.ms += 7000;
    }
    const alert = (await service.waitFor(/== pay: 3 deliveries in a row with an invalid signature ==\n.*/))[0];
    expect(alert).toContain('Reason: stale timestamp. Check the signing secret set here and the sender\'s clock.');
  });

  it('closes an open silence alert when the expectation is turned off, and checks no more', async () => {
    const clock = { ms: at('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    await newEndpoint(service, 'cron');
    await command(service, 'expect cron 10m', /== Expecting cron every 10m ==/);
    clock.ms += 15 * MINUTE;
    await service.alerts.tick();
    await service.waitFor(/== cron silent for 15m ==/);
    expect(await command(service, 'expect cron off', /== No silence alerts for cron ==/)).toContain('Turn them on again with expect cron 1h.');
    expect((await service.waitFor(/== cron silent: alert closed after 15m ==\n.*/))[0]).toContain('Resolved by turning the expectation off.');
    clock.ms += 3 * HOUR;
    await service.alerts.tick();
    expect(await command(service, 'alerts', /== No open alerts ==/)).toBeTruthy();
    expect(count(service, 'silent for')).toBe(1);
  });

  it('keeps a muted endpoint\'s alert quiet and tells it when unmuted', async () => {
    const clock = { ms: at('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    await newEndpoint(service, 'shop');
    await command(service, 'expect shop 10m', /== Expecting shop every 10m ==/);
    await command(service, 'mute shop', /== shop muted ==/);
    clock.ms += 15 * MINUTE;
    await service.alerts.tick();
    expect(await command(service, 'alerts', /== Open alerts \(1\) ==/)).toContain('shop silent');
    expect(count(service, 'silent for')).toBe(0);

    await command(service, 'unmute shop', /== shop unmuted ==/);
    clock.ms += MINUTE;
    await service.alerts.tick();
    expect((await service.waitFor(/== shop silent for 16m ==\n.*\n.*/))[0]).toContain('Opened 2026-11-26 09:15:00 UTC while shop was muted.');
  });

  it('learns each event type\'s cadence with expect auto, judging none before ten deliveries of it', async () => {
    const clock = { ms: at('2026-11-26T09:00:00Z') };
    const service = await start({}, clock);
    const url = await newEndpoint(service, 'billing');
    const post = async (type: string) => {
      const from = service.output().length;
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type }) });
      await service.waitFor(/== billing · POST \/ ==/, from);
    };
    for (let i = 0; i < 12; i++) {
      await post('invoice.paid');
      if (i < 9) await post('customer.updated');
      if (i < 11) clock.ms += 10 * MINUTE;
    }
    const lastPaid = clock.ms;
    expect(await command(service, 'expect billing auto', /== Learning billing's cadence ==/)).toContain('3 times its 95th-percentile gap, at least 10m');

    clock.ms = lastPaid + 29 * MINUTE;
    await service.alerts.tick();
    expect(await command(service, 'alerts', /== No open alerts ==/)).toBeTruthy();

    clock.ms = lastPaid + 31 * MINUTE;
    await service.alerts.tick();
    expect((await service.waitFor(/== billing: no invoice\.paid for 31m ==\n.*/))[0]).toContain('Usually within 30m (learned from 12 deliveries)');

    clock.ms += 10 * 24 * HOUR;
    await service.alerts.tick();
    expect(await command(service, 'alerts', /== Open alerts \(1\) ==/)).toContain('billing silent (invoice.paid)');

    await post('customer.updated');
    await post('invoice.paid');
    expect((await service.waitFor(/== billing back after 10d 31m ==/))[0]).toBeTruthy();
    expect(count(service, 'billing back after')).toBe(1);
  });
});
