import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { followLink } from '../helpers/follow-link.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { localUrl, say, startTestService, testChat, testConfig, type TestService } from '../helpers/start-test-service.ts';

const PUBLIC_URL = 'https://hooks.example.com';
const CONFIRM_SUBJECT = /^Confirm hookwatch digests/;

/** The link in a mail, pointed at the test server. */
function linkIn(service: TestService, mail: ParsedMail, path: string): string {
  const found = mail.text?.match(new RegExp(`${PUBLIC_URL}${path}/[A-Za-z0-9_-]+`))?.[0];
  if (!found) throw new Error(`no ${path} link in:\n${mail.text}`);
  return service.url + found.slice(PUBLIC_URL.length);
}

const oneClick = (link: string) =>
  fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

describe('email consent', () => {
  const clock = { ms: Date.parse('2026-11-26T09:30:00Z') };
  let sink: SmtpSink;
  let service: TestService;
  const started: Array<{ stop(): Promise<void> }> = [];
  const start = async (config: Config) => {
    service = await startTestService(config, [createRecordingChannel('test').channel], { now: () => clock.ms });
    started.push(service);
    return service;
  };
  afterEach(async () => {
    for (const running of started.splice(0).reverse()) await running.stop();
  });

  /** A chat with an endpoint that had a delivery, and me@example.com confirmed for it; returns an unsubscribe link from a preview. */
  async function subscribed(): Promise<string> {
    clock.ms = Date.parse('2026-11-26T09:30:00Z');
    sink = await startSmtpSink();
    started.push(sink);
    await start(testConfig({ SMTP_URL: sink.url }));
    const url = localUrl(service, await say(service, 'new shop'));
    await fetch(url, { method: 'POST', body: '{"type":"order.created"}' });
    expect((await say(service, 'digest daily me@example.com')).title).toBe('Check your inbox: me@example.com');
    const [confirmation] = await sink.waitFor(1);
    expect((await followLink(linkIn(service, confirmation!, '/email/confirm'))).status).toBe(200);
    expect((await say(service, 'digest now')).title).toBe('Sending a preview to me@example.com');
    const [, preview] = await sink.waitFor(2);
    return linkIn(service, preview!, '/email/unsubscribe');
  }

  it('after a one-click unsubscribe, digest now mails no digest but a new confirmation, and says so', async () => {
    const unsubscribe = await subscribed();
    expect((await oneClick(unsubscribe)).status).toBe(200);
    clock.ms += 11 * 60_000; // past the address's 10 minutes between confirmations

    expect((await say(service, 'digest now')).title).toBe('Check your inbox: me@example.com');
    const [, , next] = await sink.waitFor(3);
    expect(next!.subject).toMatch(CONFIRM_SUBJECT);
    expect(sink.mails).toHaveLength(3);
  });

  it('after an unsubscribe, digest daily asks for a new confirmation, and digests resume only once it is confirmed', async () => {
    const unsubscribe = await subscribed();
    await oneClick(unsubscribe);
    clock.ms += 11 * 60_000;

    const reply = await say(service, 'digest daily me@example.com');
    expect(reply.title).toBe('Check your inbox: me@example.com');
    expect(reply.lines?.[0]).toBe('This address unsubscribed: nothing goes to it again until it confirms the new link we just mailed.');
    const [, , confirmation] = await sink.waitFor(3);
    expect(confirmation!.subject).toMatch(CONFIRM_SUBJECT);
    expect(await (await fetch(unsubscribe)).text()).toContain('You are unsubscribed');

    // The daily digest falls due (08:00 UTC next day): unconfirmed, nothing goes out.
    clock.ms = Date.parse('2026-11-27T08:00:10Z');
    await service.digests!.tick();
    await service.digests!.idle();
    expect(sink.mails).toHaveLength(3);

    expect((await followLink(linkIn(service, confirmation!, '/email/confirm'))).status).toBe(200);
    // Confirmed again, the old link offers to unsubscribe again rather than claiming it is done.
    expect(await (await fetch(unsubscribe)).text()).toContain('Unsubscribe from hookwatch digests?');
    await fetch(localUrl(service, await say(service, 'new more')), { method: 'POST', body: 'x' });
    clock.ms = Date.parse('2026-11-28T08:00:10Z');
    await service.digests!.tick();
    await service.digests!.idle();
    expect(sink.mails).toHaveLength(4);
    expect(sink.mails[3]!.subject).toMatch(/^hookwatch digest:/);
  });

  it('drops a digest the SMTP server kept refusing once the address unsubscribes, instead of retrying it to them', async () => {
    const unsubscribe = await subscribed();
    sink.failNext(1_000, 451);
    clock.ms = Date.parse('2026-11-27T08:00:10Z');
    await service.digests!.tick();
    while (sink.attempts.count < 5) await new Promise((resolve) => setTimeout(resolve, 10)); // being retried
    const triedBefore = sink.attempts.count;
    await oneClick(unsubscribe);
    // An attempt that passed its consent check just before the unsubscribe may still be on its way to the
    // server: let it meet the refusal too, or the retries end, before the server accepts again.
    const retries = service.digests!.idle();
    let ended = false;
    void retries.then(() => (ended = true));
    while (!ended && sink.attempts.count === triedBefore) await new Promise((resolve) => setTimeout(resolve, 10));
    sink.failNext(0);
    // Done once the next attempt would have delivered it.
    await retries;
    expect(sink.mails).toHaveLength(2);
  });

  it('does not take back an unsubscribe by a confirmation link mailed before it', async () => {
    clock.ms = Date.parse('2026-11-26T09:30:00Z');
    sink = await startSmtpSink();
    started.push(sink);
    await start(testConfig({ SMTP_URL: sink.url }));
    await fetch(localUrl(service, await say(service, 'new shop')), { method: 'POST', body: 'x' });
    await say(service, 'digest daily me@example.com');
    const [older] = await sink.waitFor(1);
    clock.ms += 11 * 60_000;
    await say(service, 'digest daily me@example.com');
    const [, newer] = await sink.waitFor(2);
    await followLink(linkIn(service, newer!, '/email/confirm'));
    await say(service, 'digest now');
    const [, , preview] = await sink.waitFor(3);
    clock.ms += 60_000;
    await oneClick(linkIn(service, preview!, '/email/unsubscribe'));

    const stale = await followLink(linkIn(service, older!, '/email/confirm'));
    expect(stale.status).toBe(410);
    expect(await stale.text()).toContain('mailed before this address unsubscribed');
    expect((await say(service, 'digest now')).title).toBe('A confirmation went to me@example.com a few minutes ago');
  });

  it('mails a chat at most 5 confirmations an hour, and keeps both limits across a restart', async () => {
    clock.ms = Date.parse('2026-11-26T09:30:00Z');
    sink = await startSmtpSink();
    started.push(sink);
    const config = testConfig({ SMTP_URL: sink.url });
    await start(config);
    for (let i = 1; i <= 5; i++) expect((await say(service, `digest daily a${i}@example.com`)).title).toBe(`Check your inbox: a${i}@example.com`);
    const refused = await say(service, 'digest daily a6@example.com');
    expect(refused.title).toBe('This chat asked for 5 confirmation mails in the last hour');
    expect(refused.lines?.[0]).toBe('Ask again after 2026-11-26 10:30:00 UTC: at most 5 an hour per chat, so hookwatch cannot be used to flood inboxes.');
    // Another chat may still ask: its mail comes after the one that a6 did not get.
    await say(service, 'digest daily b1@example.com', testChat('chat-b'));
    const mails = await sink.waitFor(6);
    expect(mails.map((mail) => (mail.to as { text: string }).text)).toEqual(['a1@example.com', 'a2@example.com', 'a3@example.com', 'a4@example.com', 'a5@example.com', 'b1@example.com']);

    await service.stop();
    started.splice(started.indexOf(service), 1);
    clock.ms += 5 * 60_000;
    await start(config);
    expect((await say(service, 'digest daily a7@example.com')).title).toBe('This chat asked for 5 confirmation mails in the last hour');
    expect((await say(service, 'digest daily b1@example.com', testChat('chat-c'))).title).toBe('A confirmation went to b1@example.com a few minutes ago');
    clock.ms = Date.parse('2026-11-26T10:30:00Z');
    expect((await say(service, 'digest daily a7@example.com')).title).toBe('Check your inbox: a7@example.com');
    await sink.waitFor(7);
  });

  it('counts a confirmation before mailing it, so chats asking at the same moment cannot pass the address\'s limit', async () => {
    clock.ms = Date.parse('2026-11-26T09:30:00Z');
    sink = await startSmtpSink();
    started.push(sink);
    await start(testConfig({ SMTP_URL: sink.url }));
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => say(service, 'digest daily same@example.com', testChat(`chat-${i}`))));
    expect(replies.filter((reply) => reply.title === 'Check your inbox: same@example.com')).toHaveLength(1);
    expect(replies.filter((reply) => reply.title === 'A confirmation went to same@example.com a few minutes ago')).toHaveLength(5);
  });
});
