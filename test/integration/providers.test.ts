import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.ts';
import { fixtureBytes, fixtureNamed, fixtures, postFixture, type Fixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { signFixture } from '../helpers/sign-fixture.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

const PUBLIC_URL = 'https://hooks.example.com';
const signed = fixtures.filter((fixture) => fixture.secret !== undefined);
/** The service's clock, and when each delivery is signed: now, not the fixtures' stored time. */
const NOW_S = Math.floor(Date.now() / 1000);
const NAMES: Record<string, string> = { stripe: 'Stripe', github: 'GitHub', gitlab: 'GitLab', shopify: 'Shopify', 'standard-webhooks': 'Standard Webhooks', twilio: 'Twilio' };

describe('provider intelligence through the running service', () => {
  let service: TestService;
  let recorder: ReturnType<typeof createRecordingChannel>;
  afterEach(() => service.stop());

  /** The service with its clock at `atSeconds`, an endpoint, and (optionally) its secret. */
  async function setUp(atSeconds: number, secret?: string): Promise<string> {
    recorder = createRecordingChannel();
    service = await startTestService(testConfig(), [recorder.channel], { now: () => atSeconds * 1000 });
    const url = localUrl(service, await say(service, 'new hooks'));
    if (secret) expect((await say(service, `secret hooks ${secret}`)).title).toBe('Signing secret of hooks set');
    return url;
  }

  async function notificationOf(send: () => Promise<Response>): Promise<Message> {
    const before = recorder.sent.length;
    expect((await send()).status).toBe(200);
    await recorder.waitFor(before + 1);
    return recorder.sent[before]!.message;
  }

  /**
   * The fixture signed at NOW_S by its sender's SDK for this endpoint's public URL (Twilio signs the URL it
   * called), then sent with `body`: another body than the signed one is a tampered delivery.
   */
  async function sendSigned(url: string, fixture: Fixture, body = fixtureBytes(fixture)): Promise<Response> {
    const target = fixture.provider === 'twilio' ? `${url}/sms` : url;
    const fresh = await signFixture(fixture, { atSeconds: NOW_S, url: `${PUBLIC_URL}${new URL(target).pathname}` });
    return fetch(target, { method: fixture.method, headers: fresh.headers, body: new Uint8Array(body) });
  }

  it.each(signed.map((fixture) => [fixture.file, fixture] as const))('detects and verifies %s signed by its sender\'s SDK', async (_name, fixture) => {
    const url = await setUp(NOW_S, fixture.secret);
    const message = await notificationOf(() => sendSigned(url, fixture));
    expect(message.lines?.[0]).toMatch(new RegExp(`^${NAMES[fixture.provider!]} · ${fixture.event!.replace(/[.*/]/g, '\\$&')}( · .+)? · signature valid$`));
  });

  it.each(signed.map((fixture) => [fixture.file, fixture] as const))('says why %s fails with a changed byte or a wrong secret', async (_name, fixture) => {
    const url = await setUp(NOW_S, fixture.secret);
    // GitLab sends its token rather than signing the body, so only a wrong token shows there.
    if (fixture.provider !== 'gitlab') {
      const changed = Buffer.from(fixtureBytes(fixture));
      changed[changed.length - 2] = changed[changed.length - 2]! ^ 1;
      const tampered = await notificationOf(() => sendSigned(url, fixture, changed));
      expect(tampered.tone).toBe('danger');
      expect(tampered.lines?.[0]).toMatch(/signature invalid: wrong (secret|auth token)/);
    }
    await say(service, `secret hooks whsec_${Buffer.from('another secret of the same shape!').toString('base64')}`);
    expect((await notificationOf(() => sendSigned(url, fixture))).lines?.[0]).toMatch(/signature invalid: wrong (secret|auth token)/);
  });

  it('says a signature is stale once the clock is past the tolerance', async () => {
    const fixture = await signFixture(fixtureNamed('stripe'), { atSeconds: NOW_S - 600 });
    const url = await setUp(NOW_S, fixture.secret);
    expect((await notificationOf(() => postFixture(url, fixture))).lines?.[0]).toMatch(/signature invalid: stale timestamp \(600 s old, tolerance 300 s\)$/);
  });

  it('marks a redelivery of the same event as a duplicate of the first', async () => {
    const fixture = fixtureNamed('github');
    const url = await setUp(fixture.timestamp!);
    const first = (await notificationOf(() => postFixture(url, fixture))).fields?.find((field) => field.label === 'Delivery')?.value;
    const again = await notificationOf(() => postFixture(url, fixture));
    expect(again.tone).toBe('warning');
    expect(again.lines?.[1]).toBe(`Duplicate of ${first}: the sender delivered this event before.`);
    expect((await say(service, 'last hooks 2')).lines?.[0]).toContain('GitHub · push');
  });

  it('answers a Slack url_verification handshake with its challenge, and stores it', async () => {
    const url = await setUp(Math.floor(Date.now() / 1000));
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 't', challenge: 'abc123', type: 'url_verification' }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'abc123' });
    await recorder.waitFor(1);
    expect(recorder.sent[0]?.message.lines?.[0]).toContain('url_verification');
  });

  it("answers Zoom's url_validation with the token's HMAC under the endpoint's secret, and stores it", async () => {
    const at = Math.floor(Date.now() / 1000);
    const url = await setUp(at, 'zoom-secret-token');
    const body = JSON.stringify({ event: 'endpoint.url_validation', event_ts: at * 1000, payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' } });
    const signature = `v0=${createHmac('sha256', 'zoom-secret-token').update(`v0:${at}:${body}`).digest('hex')}`;
    const answered = await notificationOf(async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(at), 'x-zm-signature': signature }, body });
      expect(await response.clone().json()).toEqual({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', 'zoom-secret-token').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') });
      return response;
    });
    expect(answered.lines?.[0]).toMatch(/^Zoom · endpoint\.url_validation · signature valid$/);
  });

  it('never shows a stored secret again', async () => {
    await setUp(Math.floor(Date.now() / 1000), 'whsec_supersecret');
    const shown = JSON.stringify([await say(service, 'show hooks'), await say(service, 'list')]);
    expect(shown).not.toContain('supersecret');
    expect(shown).toContain('verified (secret set)');
  });
});
