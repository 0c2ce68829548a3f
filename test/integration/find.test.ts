import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../src/domain/message.ts';
import { MAX_PATH_DEPTH, MAX_QUERY_CHARS } from '../../src/find/parse-find-query.ts';
import { startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, type TestService } from '../helpers/start-test-service.ts';
import { storeKinds, testConfigOn } from '../helpers/test-stores.ts';

const HOUR = 3_600_000;

describe.each(storeKinds)('find on %s', (kind) => {
  let service: TestService;
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const ids: Record<string, string> = {};

  const post = async (url: string, name: string, body: unknown) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    ids[name] = ((await response.json()) as { id: string }).id;
    clock += 60_000;
  };
  const idsIn = (reply: Message) => (reply.lines ?? []).map((line) => line.split(' · ')[0]).filter((id) => /^[0-9a-z]{16}$/.test(id!));
  const found = async (query: string) => idsIn(await say(service, `find ${query}`));

  beforeAll(async () => {
    service = await startTestService(await testConfigOn(kind), [createRecordingChannel().channel], { now: () => clock });
    const shop = localUrl(service, await say(service, 'new shop'));
    const github = localUrl(service, await say(service, 'new github'));
    await say(service, 'secret github not-the-senders-secret');
    await post(shop, 'refund', { type: 'refund.created', order: { id: 1234, total: 250, paid: true }, note: 'Customer asked for a refund' });
    await post(shop, 'order', { type: 'order.created', order: { id: 1235, total: 1800, paid: false, items: [{ sku: 'mug' }] }, note: 'new order' });
    clock += 3 * HOUR;
    await post(shop, 'invoice', { type: 'invoice.paid', order: { id: '1234', total: 990 }, refund: 'none' });
    await postFixture(github, fixtureNamed('github-push'));
    ids.push = idsIn(await say(service, 'last github 1'))[0]!;
  });
  afterAll(() => service.stop());

  it('finds a word in the body values, not in key names, and a phrase only with its words in order', async () => {
    expect(await found('refund')).toEqual([ids.refund]);
    expect(await found('"asked for a refund"')).toEqual([ids.refund]);
    expect(await found('"refund asked"')).toEqual([]);
    expect(await found('REFUND customer')).toEqual([ids.refund]);
  });

  it('compares JSON paths: = on strings, numbers, booleans and array items, > and < on numbers', async () => {
    expect(await found('order.id=1234')).toEqual([ids.invoice, ids.refund]);
    expect(await found('type=order.created')).toEqual([ids.order]);
    expect(await found('order.paid=false')).toEqual([ids.order]);
    expect(await found('order.items.0.sku=mug')).toEqual([ids.order]);
    expect(await found('order.total>900')).toEqual([ids.invoice, ids.order]);
    expect(await found('order.total<300')).toEqual([ids.refund]);
  });

  it('filters by event pattern, provider, signature and age', async () => {
    expect(await found('event:invoice.*')).toEqual([ids.invoice]);
    expect(await found('event:*.created')).toEqual([ids.order, ids.refund]);
    expect(await found('provider:github')).toEqual([ids.push]);
    expect(await found('signature:invalid')).toEqual([ids.push]);
    expect(await found('since:2h')).toEqual([ids.push, ids.invoice]);
  });

  it('needs every term to hold, and searches only the endpoint named first', async () => {
    expect(await found('1234 event:refund.*')).toEqual([ids.refund]);
    expect(await found('github 1234')).toEqual([]);
    expect(await found('shop since:2h')).toEqual([ids.invoice]);
    const reply = await say(service, 'find shop 1234');
    expect(reply.title).toBe('2 deliveries match 1234 (shop)');
  });

  it('answers a malformed query by naming the part that is wrong', async () => {
    const title = async (query: string) => (await say(service, `find ${query}`)).title;
    expect(await title('refund "order 12')).toBe('In your query, "\\"order 12": the phrase has no closing quote.');
    expect(await title('colour:red')).toMatch(/^In your query, "colour:red": there is no "colour:" filter .* put it in quotes\.$/);
    expect(await title('order.total>lots')).toBe('In your query, "order.total>lots": > compares numbers; "lots" is not one.');
    expect(await title('provider:acme')).toMatch(/^In your query, "provider:acme": the providers are stripe, github/);
    expect(await title('signature:bad')).toBe('In your query, "signature:bad": a signature is valid, invalid, unsigned, unverified.');
    expect(await title('since:forever')).toBe('In your query, "since:forever": since: takes a duration up to a year, like 30m, 2h or 7d.');
    expect(await title('status:sent')).toBe('In your query, "status:sent": a status is failed, delivered (or ok), pending, an HTTP status such as 404, or a class such as 5xx.');
    expect(await title('status:600')).toBe('In your query, "status:600": a status is failed, delivered (or ok), pending, an HTTP status such as 404, or a class such as 5xx.');
    expect(await title('---')).toBe('In your query, "---": there is no letter or digit to look for.');
    expect(await title(`${Array.from({ length: MAX_PATH_DEPTH + 1 }, () => 'a').join('.')}=1`)).toMatch(/a path may have at most 16 parts\.$/);
    expect(await title('x'.repeat(MAX_QUERY_CHARS + 1))).toBe(`That query is ${MAX_QUERY_CHARS + 1} characters; keep it under ${MAX_QUERY_CHARS}.`);
  });
});

describe.each(storeKinds)('find by forwarding status, on %s', (kind) => {
  let service: TestService;
  let app: RelayTarget;
  let mirror: RelayTarget;
  let shop: string;
  const ids: Record<string, string> = {};

  /** Posts a delivery whose body tells the app which status to answer. */
  const post = async (name: string, answer: number) => {
    const response = await fetch(shop, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answer }) });
    ids[name] = ((await response.json()) as { id: string }).id;
  };
  /** Waits until `count` tries of the delivery are recorded (the find entry is marked in the same write). */
  const tried = (name: string, count: number) =>
    vi.waitFor(async () => expect((await say(service, `attempts ${ids[name]}`)).lines).toHaveLength(count), { timeout: 5000, interval: 10 });
  const found = async (query: string) => (await say(service, `find ${query}`)).lines?.map((line) => line.split(' · ')[0]) ?? [];

  beforeAll(async () => {
    // The app answers what the delivery asks for; a 503 asks to come back in an hour, so that relay stays queued.
    app = await startRelayTarget((relay) => {
      const { answer } = JSON.parse(relay.body.toString()) as { answer: number };
      return { status: answer, ...(answer === 503 ? { headers: { 'retry-after': '3600' } } : {}) };
    });
    mirror = await startRelayTarget(() => ({ status: 200 }));
    service = await startTestService(await testConfigOn(kind, { FORWARD_ALLOW_PRIVATE: 'true' }), [createRecordingChannel().channel]);
    shop = localUrl(service, await say(service, 'new shop'));
    await say(service, 'new plain');
    await post('before', 200);
    await say(service, `forward shop ${app.url}`);
    await say(service, `forward shop ${mirror.url}`);
    await post('ok', 200);
    await post('refused', 404);
    await post('waiting', 503);
    for (const name of ['ok', 'refused', 'waiting']) await tried(name, 2);
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([app.close(), mirror.close()]);
  });

  it('finds deliveries a relay failed for good, still queued, or every relay delivered', async () => {
    expect(await found('status:failed')).toEqual([ids.refused]);
    expect(await found('status:pending')).toEqual([ids.waiting]);
    expect(await found('status:delivered')).toEqual([ids.ok]);
    expect(await found('status:OK')).toEqual([ids.ok]);
  });

  it('finds deliveries by the HTTP status or class a relay\'s last try got', async () => {
    expect(await found('status:404')).toEqual([ids.refused]);
    expect(await found('status:4xx')).toEqual([ids.refused]);
    expect(await found('status:5xx')).toEqual([ids.waiting]);
    expect(await found('status:503')).toEqual([ids.waiting]);
    expect(await found('status:200')).toEqual([ids.waiting, ids.refused, ids.ok]);
    expect(await found('status:2xx answer=503')).toEqual([ids.waiting]);
  });

  it('says so when the endpoint searched forwards nowhere', async () => {
    const reply = await say(service, 'find plain status:failed');
    expect(reply.title).toBe('Nothing matches status:failed (plain)');
    expect(reply.lines).toEqual(['plain forwards nowhere: status: is about relays to your own server (forward plain <url> sets one up).']);
    const forwarding = await say(service, 'find shop status:3xx');
    expect(forwarding.title).toBe('Nothing matches status:3xx (shop)');
    expect(forwarding.lines).toBeUndefined();
  });

  it('no longer names a failed delivery once a replay delivered it, nor the queued one the recovered app then took', async () => {
    app.answerWith(() => ({ status: 200 }));
    expect((await say(service, `replay ${ids.refused}`)).title).toBe(`Replayed ${ids.refused}: 2 of 2 delivered`);
    // The app's first success wakes the relay waiting for it.
    await tried('waiting', 3);
    expect(await found('status:failed')).toEqual([]);
    expect(await found('status:pending')).toEqual([]);
    expect(await found('status:delivered')).toEqual([ids.waiting, ids.refused, ids.ok]);
  });
});

describe.each(storeKinds)('find with more than a page of matches, on %s', (kind) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(await testConfigOn(kind), [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new bulk'));
    for (let i = 1; i <= 45; i++) await fetch(url, { method: 'POST', body: JSON.stringify({ n: i, note: 'same words' }) });
  });
  afterAll(() => service.stop());

  it('shows 20, newest first, says how many more and pages on with a button that runs find', async () => {
    const first = await say(service, 'find same words');
    expect(first.title).toBe('45 deliveries match same words (all endpoints)');
    expect(first.lines).toHaveLength(21);
    expect(first.lines!.at(-1)).toMatch(/^25 more: find same words before:[0-9a-z]{16}$/);
    const next = first.buttons!.find((button) => button.label === 'Next 20')!;
    const second = await service.commands.run({ chat: { platform: 'test', chatId: 'chat-a' }, format: (name, args = []) => [name, ...args].join(' ') }, next.action.command, next.action.args);
    const third = await say(service, second.lines!.at(-1)!.replace(/^\d+ more: /, ''));
    const numbers = async (page: Message) =>
      Promise.all(page.lines!.filter((line) => !line.includes('more:')).map(async (line) => (await say(service, `payload ${line.split(' · ')[0]}`)).code!.content));
    const all = [...(await numbers(first)), ...(await numbers(second)), ...(await numbers(third))].map((body) => (JSON.parse(body) as { n: number }).n);
    expect(all).toEqual(Array.from({ length: 45 }, (_, i) => 45 - i));
    expect(third.buttons?.map((button) => button.label)).toEqual(['Payload of newest']);
  });
});

describe.each(storeKinds)('find on bodies a stranger made deep or big, on %s', (kind) => {
  it('stores 5,000 nested arrays and a body over 64 KB, and still finds their words', async () => {
    const service = await startTestService(await testConfigOn(kind), [createRecordingChannel().channel]);
    const url = localUrl(service, await say(service, 'new odd'));
    const deep = `${'['.repeat(5000)}"needle"${']'.repeat(5000)}`;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep })).status).toBe(200);
    const big = JSON.stringify({ start: 'haystack', filler: 'x '.repeat(40_000), end: 'beyond' });
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })).status).toBe(200);
    expect((await say(service, 'find needle')).title).toBe('1 delivery matches needle (all endpoints)');
    expect((await say(service, 'find haystack')).title).toBe('1 delivery matches haystack (all endpoints)');
    expect((await say(service, 'find beyond')).title).toBe('Nothing matches beyond (all endpoints)');
    expect((await say(service, 'find start=haystack')).title).toBe('Nothing matches start=haystack (all endpoints)');
    await service.stop();
  });
});
