import { afterEach, describe, expect, it } from 'vitest';
import { SendError } from '../../src/channels/channel.ts';
import { REPEAT_NOTE } from '../../src/notify/dispatcher.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, recordingLogger, say, startTestService, testChat, testConfig, type TestService } from '../helpers/start-test-service.ts';

describe('notifications', () => {
  const running: TestService[] = [];
  const start = async (...args: Parameters<typeof startTestService>) => {
    const service = await startTestService(...args);
    running.push(service);
    return service;
  };
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop();
  });

  it('sends one notification per delivery with the spec content and buttons', async () => {
    const recorder = createRecordingChannel();
    const service = await start(testConfig(), [recorder.channel]);
    const url = localUrl(service, await say(service, 'new stripe'));
    const response = await postFixture(`${url}/hooks`, fixtureNamed('stripe'));
    const { id } = (await response.json()) as { id: string };
    await recorder.waitFor(1);
    const [{ chatId, message }] = recorder.sent as [{ chatId: string; message: import('../../src/domain/message.ts').Message }];
    expect(chatId).toBe('chat-a');
    expect(message.title).toBe('stripe · POST /hooks');
    expect(message.fields).toContainEqual({ label: 'Delivery', value: id });
    expect(message.fields).toContainEqual({ label: 'Content type', value: 'application/json; charset=utf-8' });
    expect(message.code?.language).toBe('json');
    expect(message.code?.content).toContain('\n  "type": "payment_intent.succeeded"');
    expect(message.buttons?.map((button) => button.label)).toEqual(['Payload', 'Headers', 'Mute 1h']);
    const payload = message.buttons![0]!.action;
    expect((await service.commands.run({ chat: { platform: 'test', chatId: 'chat-a' }, format: (n) => n }, payload.command, payload.args)).title).toBe(`Payload of ${id}`);
  });

  it('stores but does not notify while muted, and notifies again after unmute', async () => {
    const recorder = createRecordingChannel();
    const service = await start(testConfig(), [recorder.channel]);
    const url = localUrl(service, await say(service, 'new github'));
    await say(service, 'mute github 1h');
    expect((await fetch(url, { method: 'POST', body: 'quiet' })).status).toBe(200);
    await say(service, 'unmute github');
    await fetch(url, { method: 'POST', body: 'loud' });
    await recorder.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorder.sent.map((sent) => sent.message.code?.content)).toEqual(['loud']);
    expect((await say(service, 'last github')).lines).toHaveLength(2);
  });

  it('retries a failing chat with waits that double from retryBaseMs, and keeps chat order', async () => {
    const recorder = createRecordingChannel();
    let failures = 4;
    recorder.failWith(() => (failures-- > 0 ? new SendError('chat platform down') : undefined));
    const service = await start(testConfig(), [recorder.channel], { retryBaseMs: 20 });
    const url = localUrl(service, await say(service, 'new orders'));
    for (const n of [1, 2, 3]) await fetch(url, { method: 'POST', body: `order ${n}` });
    await recorder.waitFor(3);
    expect(recorder.sent.map((sent) => sent.message.code?.content)).toEqual(['order 1', 'order 2', 'order 3']);
    // Four failed tries of order 1, then its success: the waits between them are at least 20, 40, 80, 160 ms
    // (a timer may fire a millisecond early; a loaded machine only makes them longer).
    const gaps = recorder.attemptedAt.slice(1, 5).map((at, i) => at - recorder.attemptedAt[i]!);
    expect(recorder.attempts.count).toBe(4 + 3);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(20 * 2 ** i - 1));
  });

  it('drops a notification the platform refuses for good and goes on with the next', async () => {
    const recorder = createRecordingChannel();
    let refusals = 1;
    recorder.failWith(() => (refusals-- > 0 ? new SendError('chat not found', { permanent: true }) : new Error('unreachable')));
    const service = await start(testConfig(), [recorder.channel]);
    const url = localUrl(service, await say(service, 'new orders'));
    await fetch(url, { method: 'POST', body: 'first' });
    await expect.poll(() => recorder.attempts.count).toBe(1);
    recorder.failWith(undefined);
    await fetch(url, { method: 'POST', body: 'second' });
    await recorder.waitFor(1);
    expect(recorder.sent.map((sent) => sent.message.code?.content)).toEqual(['second']);
  });

  it('sends a notification the channel cannot render in plain form instead, and goes on with the next', async () => {
    const recorder = createRecordingChannel();
    // A renderer bug, once: the next send (the plain form) works.
    recorder.failWith(() => (recorder.failWith(undefined), new RangeError('Maximum call stack size exceeded')));
    const service = await start(testConfig(), [recorder.channel]);
    const url = localUrl(service, await say(service, 'new orders'));
    const { id } = (await (await fetch(url, { method: 'POST', body: 'first' })).json()) as { id: string };
    await recorder.waitFor(1);
    await fetch(url, { method: 'POST', body: 'second' });
    await recorder.waitFor(2);
    const [fallback, next] = recorder.sent.map((sent) => sent.message);
    expect(fallback!.title).toBe(`orders · delivery ${id}`);
    expect(fallback!.lines?.[0]).toBe('Preview unavailable: it could not be rendered (RangeError: Maximum call stack size exceeded).');
    expect(fallback!.fields).toContainEqual({ label: 'Size', value: '5 B' });
    expect(fallback!.code).toBeUndefined();
    expect(next!.code?.content).toBe('second');
  });

  it('stops sending on a platform that refuses the bot token, says so once, and keeps the notifications for a restart', async () => {
    const config = testConfig();
    const revoked = createRecordingChannel();
    revoked.failWith(() => new SendError('test refused the bot token (401)', { unauthorized: true }));
    const { logger, lines } = recordingLogger();
    const first = await start(config, [revoked.channel], { logger });
    const urls = [localUrl(first, await say(first, 'new a')), localUrl(first, await say(first, 'new b', testChat('chat-b')))];
    await fetch(urls[0]!, { method: 'POST', body: 'first' });
    await expect.poll(() => revoked.attempts.count).toBe(1);
    await fetch(urls[1]!, { method: 'POST', body: 'second' });
    // Fifteen retry periods (retryBaseMs is 20): a retry, or a send for the second chat, would have come by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(revoked.attempts.count).toBe(1);
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([
      'test refused the bot token (401). No more test notifications are sent until hookwatch restarts with a working token; they wait in the outbox.',
    ]);
    await first.stop();
    running.splice(0);

    const working = createRecordingChannel();
    await start(config, [working.channel]);
    await working.waitFor(2);
    expect(working.sent.map((sent) => sent.message.code?.content).sort()).toEqual(['first', 'second']);
  });

  it('records why a chat could not be reached on the endpoint, shows it in show and list, and clears it once a notification goes out', async () => {
    const recorder = createRecordingChannel();
    recorder.failWith(() => new SendError('Forbidden: bot was kicked from the group chat', { permanent: true }));
    const service = await start(testConfig(), [recorder.channel]);
    const url = localUrl(service, await say(service, 'new kicked'));
    await fetch(url, { method: 'POST', body: 'lost' });
    const failure = /^failed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: Forbidden: bot was kicked from the group chat$/;
    await expect.poll(async () => (await say(service, 'show kicked')).fields?.find((field) => field.label === 'Last notification')?.value).toMatch(failure);
    expect((await say(service, 'list')).fields?.[0]?.value.split('\n').at(-1)).toMatch(/^last notification failed .*: Forbidden: bot was kicked from the group chat$/);
    recorder.failWith(undefined);
    await fetch(url, { method: 'POST', body: 'back' });
    await recorder.waitFor(1);
    await expect.poll(async () => (await say(service, 'show kicked')).fields?.map((field) => field.label)).not.toContain('Last notification');
    expect((await say(service, 'list')).fields?.[0]?.value).not.toContain('failed');
  });

  it('keeps to the chat\'s pace and merges a burst it cannot send one by one into a summary', async () => {
    const recorder = createRecordingChannel();
    // Long enough for all ten to be stored before the chat's next send, on a loaded machine too.
    recorder.setPace({ minIntervalMs: 2000 });
    const service = await start(testConfig(), [recorder.channel]);
    const url = localUrl(service, await say(service, 'new stripe'));
    await fetch(url, { method: 'POST', body: '{"type":"lone.event"}' });
    await recorder.waitFor(1);
    const events = [...Array(7).fill('payment_intent.succeeded'), ...Array(3).fill('charge.refunded')] as string[];
    await Promise.all(events.map((type) => fetch(url, { method: 'POST', body: JSON.stringify({ type }) })));
    await recorder.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(recorder.sent).toHaveLength(2);
    expect(recorder.sent[0]!.message.lines?.[0]).toBe('lone.event');
    const summary = recorder.sent[1]!.message;
    expect(summary.title).toMatch(/^10 deliveries in \d+s$/);
    expect(summary.lines?.[0]).toBe('stripe: 10 deliveries: payment_intent.succeeded ×7, charge.refunded ×3');
    expect(summary.buttons?.[0]?.action.command).toBe('last');
    expect(recorder.sentAt[1]! - recorder.sentAt[0]!).toBeGreaterThanOrEqual(1990);
  });

  it('counts deliveries with an invalid signature in a summary and gives it the warning tone', async () => {
    const recorder = createRecordingChannel();
    // Long enough for all ten to be stored before the chat's next send, on a loaded machine too.
    recorder.setPace({ minIntervalMs: 2000 });
    const service = await start(testConfig(), [recorder.channel]);
    const url = localUrl(service, await say(service, 'new stripe'));
    await say(service, 'secret stripe whsec_not_the_one_stripe_signed_with');
    await fetch(url, { method: 'POST', body: 'lone' });
    await recorder.waitFor(1);
    await Promise.all(Array.from({ length: 10 }, () => postFixture(url, fixtureNamed('stripe'))));
    // Three invalid signatures in a row open an alert, which goes alone in its place in the queue: it may split the
    // burst in two, and a lone delivery left after it goes as its own notification.
    const told = () => recorder.sent.slice(1).map(({ message }) => message);
    const summaries = () => told().filter((message) => /^\d+ deliveries in \d/.test(message.title));
    const lone = () => told().filter((message) => message.title.startsWith('stripe · '));
    const counted = () => lone().length + summaries().reduce((sum, message) => sum + Number(/^stripe: (\d+) deliveries/.exec(message.lines?.[0] ?? '')?.[1] ?? 0), 0);
    await expect.poll(counted, { timeout: 15_000 }).toBe(10);
    expect(summaries().length).toBeGreaterThan(0);
    for (const summary of summaries()) {
      expect(summary.lines?.[0]).toMatch(/^stripe: (\d+) deliveries: payment_intent\.succeeded ×\1; \1 with an invalid signature$/);
      expect(summary.tone).toBe('warning');
    }
  });

  it('keeps the chat\'s pace across a restart', async () => {
    const config = testConfig();
    const first = createRecordingChannel();
    first.setPace({ minIntervalMs: 1500 });
    const before = await start(config, [first.channel]);
    const url = localUrl(before, await say(before, 'new stripe'));
    await fetch(url, { method: 'POST', body: 'before the restart' });
    await first.waitFor(1);
    await before.stop();
    running.splice(0);

    const second = createRecordingChannel();
    second.setPace({ minIntervalMs: 1500 });
    const after = await start(config, [second.channel]);
    await fetch(url.replace(before.url, after.url), { method: 'POST', body: 'right after it' });
    await second.waitFor(1);
    expect(second.sentAt[0]! - first.sentAt[0]!).toBeGreaterThanOrEqual(1490);
  });

  it('bounds the backlog of a chat that is down by folding it, and still counts every delivery', async () => {
    const config = testConfig();
    const down = createRecordingChannel();
    down.failWith(() => new SendError('chat platform down'));
    const first = await start(config, [down.channel]);
    const url = localUrl(first, await say(first, 'new flood'));
    const total = 2_500;
    for (let sent = 0; sent < total; sent += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(url, { method: 'POST', body: JSON.stringify({ type: (sent + i) % 5 ? 'order.paid' : 'order.refunded' }) })));
    }
    await first.stop();
    running.splice(0);
    const store = await createSqliteStore(config.DATABASE_URL);
    const outboxSize = await store.count('outbox:');
    await store.close();
    expect(outboxSize).toBeLessThanOrEqual(2_001);

    const back = createRecordingChannel();
    back.setPace({ minIntervalMs: 50 });
    await start(config, [back.channel]);
    const covered = () => back.sent.reduce((sum, { message }) => sum + Number(/^(\d+) deliveries in/.exec(message.title ?? '')?.[1] ?? 1), 0);
    await expect.poll(covered, { timeout: 5_000 }).toBe(total);
    const lines = back.sent.flatMap(({ message }) => message.lines ?? []).filter((line) => line.startsWith('flood: '));
    const refunded = lines.reduce((sum, line) => sum + Number(/order\.refunded ×(\d+)/.exec(line)?.[1] ?? 0), 0);
    expect(refunded).toBe(total / 5);
  });

  it('still tells of a delivery that retention removed while its notification waited', async () => {
    const config = testConfig({ RETENTION_DELIVERIES: '1' });
    const down = createRecordingChannel();
    down.failWith(() => new SendError('chat platform down'));
    const first = await start(config, [down.channel]);
    const url = localUrl(first, await say(first, 'new tiny'));
    await fetch(url, { method: 'POST', body: '{"type":"order.paid"}' });
    await fetch(url, { method: 'POST', body: '{"type":"order.shipped"}' });
    const store = await createSqliteStore(config.DATABASE_URL);
    await expect.poll(() => store.count('delivery:'), { timeout: 5_000 }).toBe(1);
    await store.close();
    await first.stop();
    running.splice(0);

    const back = createRecordingChannel();
    await start(config, [back.channel]);
    await back.waitFor(2);
    expect(back.sent[0]!.message.title).toBe('tiny · order.paid');
    expect(back.sent[0]!.message.lines).toContainEqual(expect.stringMatching(/^Removed by retention/));
    expect(back.sent[1]!.message.title).toBe('tiny · POST /');
    expect(back.sent[1]!.message.code?.content).toContain('order.shipped');
  });

  it('sends after a restart, as new, what was stored but never handed to the chat', async () => {
    const config = testConfig();
    const elsewhere = createRecordingChannel('other-platform');
    const first = await start(config, [elsewhere.channel]);
    const url = localUrl(first, await say(first, 'new stripe'));
    expect((await fetch(url, { method: 'POST', body: 'queued' })).status).toBe(200);
    await first.stop();
    running.splice(0);
    const recorder = createRecordingChannel();
    await start(config, [recorder.channel]);
    await recorder.waitFor(1);
    expect(recorder.sent[0]?.message.code?.content).toBe('queued');
    expect(recorder.sent[0]?.message.lines ?? []).not.toContain(REPEAT_NOTE);
  });

  it('resends after a restart, marked as a possible repeat, what a crash cut off mid-send', async () => {
    const config = testConfig();
    const dying = createRecordingChannel();
    dying.hangSends();
    const first = await start(config, [dying.channel]);
    const url = localUrl(first, await say(first, 'new stripe'));
    const response = await fetch(url, { method: 'POST', body: '{"survives":true}' });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    await expect.poll(() => dying.attempts.count).toBe(1);
    await first.stop();
    running.splice(0);

    const recorder = createRecordingChannel();
    const second = await start(config, [recorder.channel]);
    await recorder.waitFor(1);
    expect(recorder.sent[0]?.message.fields).toContainEqual({ label: 'Delivery', value: id });
    // The first run had begun sending it: the chat may have it already, so the resend says so.
    expect(recorder.sent[0]?.message.lines?.at(-1)).toBe(REPEAT_NOTE);
    expect((await say(second, 'list')).fields?.[0]?.label).toBe('stripe');
    await second.stop();
    running.splice(0);

    const third = createRecordingChannel();
    await start(config, [third.channel]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(third.sent).toHaveLength(0);
  });
});
