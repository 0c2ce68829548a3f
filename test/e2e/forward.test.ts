import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { request } from 'node:http';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { SendError } from '../../src/channels/channel.ts';
import type { Message } from '../../src/domain/message.ts';
import { startRelayTarget, receivedHeader, type RelayTarget } from '../fakes/relay-target.ts';
import { fixtureBytes, fixtureNamed } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { signFixture } from '../helpers/sign-fixture.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

const stripe = new Stripe('sk_test_unused');

/** Posts with the header lines exactly as given (order, case, repeats), as a sender's own client would. */
function postRaw(url: string, headers: Array<[string, string]>, body: Buffer): Promise<{ status: number; id: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: ['Host', new URL(url).host, ...headers.flat()] }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve({ status: res.statusCode, id: (JSON.parse(text) as { id: string }).id }) : reject(new Error(`${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Waits until hookwatch has recorded `count` tries of the delivery (the target's answer comes a moment before). */
async function triesRecorded(service: TestService, id: string, count: number): Promise<void> {
  for (let polls = 0; polls < 500; polls += 1) {
    if (((await say(service, `attempts ${id}`)).lines ?? []).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${id}: fewer than ${count} tries recorded`);
}

/** The health line of the endpoint's first target, as `forward stripe` lists it. */
const health = async (service: TestService) => (await say(service, 'forward stripe')).fields?.[0]?.value ?? '';

const post = (url: string, body = '{"type":"ping"}') => postRaw(url, [['Content-Type', 'application/json']], Buffer.from(body));

describe('forwarding: hookwatch in front of the user\'s own server', () => {
  const running: Array<TestService | RelayTarget> = [];
  afterEach(async () => {
    for (const item of running.splice(0).reverse()) 'stop' in item ? await item.stop() : await item.close();
  });

  async function setUp(script?: Parameters<typeof startRelayTarget>[0], env: Record<string, string> = { FORWARD_ALLOW_PRIVATE: 'true' }) {
    const target = await startRelayTarget(script);
    const recorder = createRecordingChannel();
    const config = testConfig(env);
    const service = await startTestService(config, [recorder.channel]);
    running.push(target, service);
    const url = localUrl(service, await say(service, 'new stripe'));
    return { target, recorder, service, url, databaseUrl: config.DATABASE_URL };
  }

  const titles = (sent: Array<{ message: Message }>) => sent.map(({ message }) => message.title);

  it('relays a Stripe- and a GitHub-signed delivery byte-exact: both signatures verify at the target with the vendors\' own code', async () => {
    const stripeFixture = await signFixture(fixtureNamed('stripe'));
    const githubFixture = await signFixture(fixtureNamed('github'));
    const { target, service, url } = await setUp(async (relay) => {
      const body = relay.body.toString('utf8');
      const stripeSignature = receivedHeader(relay, 'stripe-signature');
      try {
        if (stripeSignature) stripe.webhooks.constructEvent(body, stripeSignature, stripeFixture.secret!);
        else if (!(await verifyGithub(githubFixture.secret!, body, receivedHeader(relay, 'x-hub-signature-256') ?? ''))) return { status: 401, body: 'bad github signature' };
      } catch (error) {
        return { status: 401, body: String(error) };
      }
      return { status: 200, body: 'verified' };
    });
    expect((await say(service, `forward stripe ${target.url}/app/hooks?src=hw`)).title).toBe(`stripe forwards to ${target.url}/app/hooks?src=hw`);

    const stripeHeaders: Array<[string, string]> = [['Connection', 'keep-alive'], ...Object.entries(stripeFixture.headers), ['X-Dup', 'a'], ['X-Dup', 'b']];
    const sent = await postRaw(`${url}/stripe/events?mode=live&a=1`, stripeHeaders, fixtureBytes(stripeFixture));
    const githubSent = await postRaw(url, Object.entries(githubFixture.headers), fixtureBytes(githubFixture));
    await target.waitFor(2);

    const [first, second] = target.received as [(typeof target.received)[0], (typeof target.received)[0]];
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/app/hooks/stripe/events?src=hw&mode=live&a=1');
    expect(first.body.equals(fixtureBytes(stripeFixture))).toBe(true);
    // The sender's headers in their order and case, hop-by-hop, Host and Content-Length not carried over.
    const relayed = first.rawHeaders.filter(([name]) => !['host', 'content-length', 'connection'].includes(name.toLowerCase()) && !/^x-(hookwatch|forwarded)-/i.test(name));
    expect(relayed).toEqual([...Object.entries(stripeFixture.headers), ['X-Dup', 'a'], ['X-Dup', 'b']]);
    expect(first.rawHeaders.filter(([name]) => name.toLowerCase() === 'connection').map(([, value]) => value)).not.toContain('keep-alive, keep-alive');
    expect(receivedHeader(first, 'x-hookwatch-delivery')).toBe(sent.id);
    expect(receivedHeader(first, 'x-forwarded-for')).toBe('127.0.0.1');
    expect(receivedHeader(first, 'x-forwarded-proto')).toBe('https');
    expect(receivedHeader(first, 'x-forwarded-host')).toBe(new URL(url).host);
    expect(receivedHeader(second, 'x-hookwatch-delivery')).toBe(githubSent.id);

    // The try is recorded a moment after the target's answer.
    await triesRecorded(service, sent.id, 1);
    await triesRecorded(service, githubSent.id, 1);
    const attempts = await say(service, `attempts ${sent.id}`);
    expect(attempts.lines).toEqual([expect.stringMatching(new RegExp(`${target.url}/app/hooks\\?src=hw -> 200 in \\d+ ms$`))]);
    expect(attempts.code?.content).toContain('verified');
    const githubAttempts = await say(service, `attempts ${githubSent.id}`);
    expect(githubAttempts.lines?.[0]).toMatch(/-> 200 in \d+ ms$/);
  });

  it('shows the relay\'s outcome in a notification sent after the relay finished', async () => {
    const { target, recorder, service, url } = await setUp();
    await say(service, `forward stripe ${target.url}`);
    // The chat is down until the target has answered, so the notification goes out knowing the outcome.
    let relayed = false;
    recorder.failWith(() => (relayed ? undefined : new SendError('chat briefly unreachable')));
    await post(url);
    await expect.poll(() => health(service)).toMatch(/^last -> 200/);
    relayed = true;
    await recorder.waitFor(1);
    expect(recorder.sent[0]!.message.fields).toContainEqual({ label: 'Forwarded', value: expect.stringMatching(/^-> 200 in \d+ ms$/) });
  });

  it('retries 503s honouring Retry-After with the same X-Hookwatch-Delivery, opens one alert that counts them, and resolves it with how many arrived late', async () => {
    const { target, recorder, service, url } = await setUp((_relay, index) => (index < 3 ? { status: 503, headers: { 'retry-after': '1' }, body: 'down for maintenance' } : { status: 200 }));
    await say(service, `forward stripe ${target.url}`);
    const { id } = await post(url);
    await target.waitFor(4, 15_000);

    expect(new Set(target.received.map((relay) => receivedHeader(relay, 'x-hookwatch-delivery')))).toEqual(new Set([id]));
    // Retry-After: 1 is honoured: each retry came at least a second after the answer asking for it.
    const gaps = target.received.slice(1).map((relay, i) => relay.at - target.received[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);

    await recorder.waitFor(3);
    const told = titles(recorder.sent);
    expect(told.filter((title) => title.includes('forwarding failing'))).toEqual(['stripe: forwarding failing (1 failed try)']);
    expect(told.filter((title) => /^stripe: forwarding recovered after \d+s$/.test(title))).toHaveLength(1);
    const resolved = recorder.sent.find(({ message }) => message.title.includes('recovered'))!.message;
    expect(resolved.lines).toEqual(['1 delivery delivered late.']);
    expect((await say(service, 'alerts')).title).toBe('No open alerts');

    const attempts = await say(service, `attempts ${id}`);
    expect(attempts.lines?.map((line) => line.replace(/^.*? -> /, '-> ').replace(/\d+ ms/, 'N ms'))).toEqual(['-> 503 in N ms', '-> 503 in N ms', '-> 503 in N ms', '-> 200 in N ms']);
    expect(attempts.code?.content).toContain('down for maintenance');
  }, 20_000);

  it('counts further failures on the one open alert instead of repeating it', async () => {
    const { target, recorder, service, url } = await setUp(() => ({ status: 500, body: 'boom' }));
    await say(service, `forward stripe ${target.url}`);
    await Promise.all([post(url), post(url), post(url)]);
    await target.waitFor(9);
    const open = await say(service, 'alerts');
    expect(open.title).toBe('Open alerts (1)');
    expect(open.fields?.[0]?.label).toMatch(/^stripe: forwarding failing · /);
    expect(open.fields?.[0]?.value).toMatch(new RegExp(`^${target.url}/ 500 in \\d+ ms; \\d+ (deliveries wait|delivery waits)`));
    // The alert's one message, then no other: its opening came with the first failure, long before the ninth.
    const told = () => titles(recorder.sent).filter((title) => title.includes('forwarding failing'));
    await expect.poll(told).toHaveLength(1);
    // Built when sent, from the alert as it is then: its count may already be past the first failure.
    expect(told()).toEqual([expect.stringMatching(/^stripe: forwarding failing \(\d+ failed tr(y|ies)\)$/)]);
  });

  it('holds a failing target\'s relays after 8 failed tries in a row, says so in "forward stripe", and still replays one at once, which drains the rest', async () => {
    // Retry-After: 60: no retry or probe is due during the test, so the next request the target sees is the replay.
    const { target, service, url } = await setUp(() => ({ status: 503, headers: { 'retry-after': '60' }, body: 'down' }));
    await say(service, `forward stripe ${target.url}`);
    const ids: string[] = [];
    for (let n = 0; n < 10; n += 1) ids.push((await post(url)).id);
    await expect.poll(() => health(service)).toMatch(/^last -> 503 in \d+ ms · 0% of 8 tries delivered · failing, 10 waiting$/);
    expect(target.received).toHaveLength(8);

    target.answerWith(() => ({ status: 200 }));
    expect((await say(service, `replay ${ids[9]}`)).title).toBe(`Replayed ${ids[9]}: 1 of 1 delivered`);
    expect(receivedHeader(target.received[8]!, 'x-hookwatch-delivery')).toBe(ids[9]);
    await expect.poll(() => health(service)).toMatch(/· 0 queued$/);
    expect(new Set(target.received.slice(8).map((relay) => receivedHeader(relay, 'x-hookwatch-delivery')))).toEqual(new Set(ids));
  });

  it('lists a relay still queued in attempts: before its first try, and with its next try booked after a failed one', async () => {
    let answerFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (answerFirst = resolve));
    const { target, service, url } = await setUp(async (_relay, index) => {
      if (index === 0) await firstHeld;
      return index === 0 ? { status: 503, headers: { 'retry-after': '3600' }, body: 'later' } : { status: 200 };
    });
    await say(service, `forward stripe ${target.url.replace('://', '://deploy:s3cret@')}`);
    const { id } = await post(url);
    await expect.poll(() => target.received.length).toBe(1); // arrived, its answer held

    const untried = await say(service, `attempts ${id}`);
    expect(untried.title).toBe(`${id} has not been tried yet`);
    expect(untried.fields).toEqual([{ label: expect.stringMatching(/^Waiting: http:\/\/••••@127\.0\.0\.1:\d+\/$/), value: 'try 1, waiting its turn' }]);

    answerFirst();
    await triesRecorded(service, id, 1);
    const booked = await say(service, `attempts ${id}`);
    expect(booked.title).toBe(`Relays of ${id}: 1 try`);
    expect(booked.fields).toEqual([{ label: expect.stringMatching(/^Waiting: /), value: expect.stringMatching(/^try 2, due at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/) }]);
    expect(JSON.stringify(booked)).not.toContain('s3cret');
  });

  it('fails for good on a 400: told once with Replay, which sends it again with the same id', async () => {
    const { target, recorder, service, url } = await setUp(() => ({ status: 400, headers: { 'set-cookie': 'session=abcdef1234567890' }, body: '{"error":"unknown event"}' }));
    await say(service, `forward stripe ${target.url}`);
    const { id } = await post(url);
    await target.waitFor(1);
    await recorder.waitFor(2);
    const failure = recorder.sent.find(({ message }) => message.title === `stripe: forwarding of ${id} failed`)!.message;
    expect(failure.lines?.[0]).toMatch(new RegExp(`^${target.url}/ -> 400 in \\d+ ms$`));
    expect(failure.buttons?.map((button) => [button.label, button.action.command, ...button.action.args])).toEqual([['Replay', 'replay', id], ['Attempts', 'attempts', id]]);

    const masked = await say(service, `attempts ${id}`);
    expect(masked.code?.content).toContain('set-cookie: ••••7890');
    expect(masked.code?.content).not.toContain('abcdef1234567890');

    target.answerWith(() => ({ status: 202 }));
    const replayed = await say(service, `replay ${id}`);
    expect(replayed.title).toBe(`Replayed ${id}: 1 of 1 delivered`);
    expect(target.received.map((relay) => receivedHeader(relay, 'x-hookwatch-delivery'))).toEqual([id, id]);
    expect(titles(recorder.sent).filter((title) => title === `stripe: forwarding of ${id} failed`)).toHaveLength(1);
  });

  it('replays a delivery once to a URL given in the chat', async () => {
    const { target, service, url } = await setUp();
    const other = await startRelayTarget(() => ({ status: 204 }));
    running.push(other);
    const { id } = await post(url);
    const replayed = await say(service, `replay ${id} ${other.url}/once`);
    expect(replayed.lines).toEqual([expect.stringMatching(new RegExp(`^${other.url}/once -> 204 in \\d+ ms$`))]);
    expect(other.received[0]?.url).toBe('/once');
    expect(target.received).toHaveLength(0);
  });

  it('redrives every failed relay of an endpoint with "replay <endpoint> failed" and answers with one summary', async () => {
    const { target, service, url } = await setUp(() => ({ status: 410 }));
    await say(service, `forward stripe ${target.url}`);
    const ids = [(await post(url)).id, (await post(url)).id, (await post(url)).id];
    await target.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the final failures are recorded after the answers
    target.answerWith(() => ({ status: 200 }));
    const summary = await say(service, 'replay stripe failed');
    expect(summary.title).toBe('stripe: replayed 3 failed relays');
    expect(summary.lines).toEqual(['3 delivered, 0 failed again.']);
    expect(target.received.slice(3).map((relay) => receivedHeader(relay, 'x-hookwatch-delivery')).sort()).toEqual([...ids].sort());
    expect((await say(service, 'replay stripe failed')).title).toBe('stripe: no failed relays to replay');
  });

  it('lists targets with their health, masks credentials in the URL, and stops forwarding with off', async () => {
    const { target, service, url } = await setUp();
    const withCredentials = target.url.replace('http://', 'http://user:hunter2@');
    expect((await say(service, `forward stripe ${withCredentials}/x`)).title).toBe(`stripe forwards to http://••••@${target.url.slice(7)}/x`);
    await post(url);
    await expect.poll(() => health(service)).toMatch(/^last -> 200 in \d+ ms · 100% of 1 tries delivered · 0 queued$/);
    expect(receivedHeader(target.received[0]!, 'authorization')).toBe(`Basic ${Buffer.from('user:hunter2').toString('base64')}`);
    const listed = await say(service, 'forward stripe');
    expect(JSON.stringify(listed)).not.toContain('hunter2');
    expect((await say(service, 'forward stripe off')).title).toContain('stopped forwarding');
    await post(url);
    expect((await say(service, 'forward stripe')).title).toBe('stripe forwards nowhere');
  });

  it('sync: stores the delivery, then answers its sender with the target\'s status, headers and body', async () => {
    const { target, recorder, service, url } = await setUp(() => ({ status: 201, headers: { 'x-app': 'created', 'content-type': 'text/plain' }, body: 'made it' }));
    expect((await say(service, `forward stripe ${target.url} sync`)).title).toBe(`stripe forwards to ${target.url}/ (sync)`);
    expect((await say(service, `forward stripe ${target.url}/other sync`)).title).toContain('one sync target per endpoint');
    const response = await fetch(`${url}/orders`, { method: 'POST', body: '{"type":"order.created"}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-app')).toBe('created');
    expect(await response.text()).toBe('made it');
    const id = receivedHeader(target.received[0]!, 'x-hookwatch-delivery')!;
    expect((await say(service, `payload ${id}`)).title).toBe(`Payload of ${id}`);
    await recorder.waitFor(1);
    expect(recorder.sent[0]!.message.title).toBe('stripe · POST /orders');
  });

  it('sync: answers 502 when the target cannot be reached, with the delivery stored all the same', async () => {
    const { target, service, url } = await setUp();
    await say(service, `forward stripe ${target.url} sync`);
    await target.close();
    running.splice(running.indexOf(target), 1);
    const response = await fetch(url, { method: 'POST', body: '{"type":"ping"}' });
    expect(response.status).toBe(502);
    const answer = (await response.json()) as { id: string; error: string };
    expect(answer.error).toBe('forwarding target unreachable: connection refused');
    expect((await say(service, `payload ${answer.id}`)).title).toBe(`Payload of ${answer.id}`);
    expect((await say(service, `attempts ${answer.id}`)).lines).toEqual([expect.stringMatching(/ -> connection refused$/)]);
  });

  it('leaves nothing of an endpoint\'s forwarding once the endpoint is deleted', async () => {
    const { target, service, url, databaseUrl } = await setUp(() => ({ status: 400 }));
    await say(service, `forward stripe ${target.url}`);
    const { id } = await post(url);
    await triesRecorded(service, id, 1);
    await say(service, 'delete stripe confirm');
    await service.stop();
    running.splice(running.indexOf(service), 1);
    const store = await createSqliteStore(databaseUrl);
    const keys = [...(await store.scan('forward-target:', { keysOnly: true })), ...(await store.scan('relay', { keysOnly: true }))].map((entry) => entry.key);
    await store.close();
    expect(keys).toEqual([]);
  });

  it('refuses a loopback target when FORWARD_ALLOW_PRIVATE is off, saying how to allow it', async () => {
    const { target, service } = await setUp(undefined, {});
    const reply = await say(service, `forward stripe ${target.url}`);
    expect(reply.tone).toBe('warning');
    expect(reply.title).toContain('127.0.0.1 is a private, loopback or otherwise non-public address');
    expect(reply.title).toContain('FORWARD_ALLOW_PRIVATE=true');
    expect((await say(service, 'forward stripe ftp://example.com/x')).title).toContain('Only http:// and https://');
  });
});
