import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { pngHeader } from '../helpers/png-header.ts';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { followLink } from '../helpers/follow-link.ts';
import { freePort } from '../helpers/spawn-service.ts';
import { localUrl, say, startTestService, tempDatabaseUrl, testChat, testConfig, type TestService } from '../helpers/start-test-service.ts';

const PUBLIC_URL = 'https://hooks.example.com';
const at = (iso: string) => Date.parse(iso);

/** The link in a mail, pointed at the test server. */
function linkIn(service: TestService, mail: ParsedMail, path: string): string {
  const found = mail.text?.match(new RegExp(`${PUBLIC_URL}${path}/[A-Za-z0-9_-]+`))?.[0];
  if (!found) throw new Error(`no ${path} link in:\n${mail.text}`);
  return service.url + found.slice(PUBLIC_URL.length);
}

function headerText(mail: ParsedMail, name: string): string {
  const value = mail.headerLines.find((line) => line.key === name)?.line ?? '';
  return value.slice(value.indexOf(':') + 1).trim();
}

/** A sink and a service of the test's own, the clock at 09:30 and movable; both stopped afterwards. */
async function withOwnSink(test: (rig: { sink: SmtpSink; service: TestService; clock: { ms: number } }) => Promise<void>): Promise<void> {
  const sink = await startSmtpSink();
  const clock = { ms: at('2026-11-26T09:30:00Z') };
  const service = await startTestService(testConfig({ SMTP_URL: sink.url }), [createRecordingChannel('test').channel], { now: () => clock.ms });
  try {
    await test({ sink, service, clock });
  } finally {
    await service.stop();
    await sink.stop();
  }
}

interface DigestRig {
  sink: SmtpSink;
  service: TestService;
  clock: { ms: number };
  /** The endpoints' URLs on the current service (each restart listens on a new port). */
  stripe(): string;
  github(): string;
  /** Stops the service and starts it again on the same database, then lets start-up digests finish. */
  restart(beforeStart?: () => void): Promise<void>;
  /** Moves the clock and runs the scheduler as its timer would, waiting for the mails under way. */
  tickAt(iso: string): Promise<void>;
}

/**
 * Each test's own sink, service (clock at 17:10 and movable) and `stripe` and `github` endpoints; with
 * `subscribed`, me@example.com gets hourly digests, confirmed through the link (the first mail in the sink).
 */
async function withDigestRig(options: { subscribed: boolean }, test: (rig: DigestRig) => Promise<void>): Promise<void> {
  const sink = await startSmtpSink();
  const clock = { ms: at('2026-11-26T17:10:00Z') };
  const config = testConfig({ DATABASE_URL: tempDatabaseUrl(), SMTP_URL: sink.url, MAIL_FROM: 'hookwatch <digest@hooks.example.com>', MAX_BODY_BYTES: '100000' });
  const start = () => startTestService(config, [createRecordingChannel('test').channel], { now: () => clock.ms });
  let service = await start();
  const paths = await Promise.all(['stripe', 'github'].map(async (name) => localUrl(service, await say(service, `new ${name}`)).slice(service.url.length)));
  const rig: DigestRig = {
    sink,
    clock,
    get service() {
      return service;
    },
    stripe: () => service.url + paths[0],
    github: () => service.url + paths[1],
    async restart(beforeStart) {
      await service.stop();
      beforeStart?.();
      service = await start();
      await service.digests!.idle();
    },
    async tickAt(iso) {
      clock.ms = at(iso);
      await service.digests!.tick();
      await service.digests!.idle();
    },
  };
  try {
    if (options.subscribed) {
      await say(service, 'digest hourly me@example.com');
      const [confirmation] = await sink.waitFor(1);
      expect((await followLink(linkIn(service, confirmation!, '/email/confirm'))).status).toBe(200);
    }
    await test(rig);
  } finally {
    await service.stop();
    await sink.stop();
  }
}

describe('email digests end to end', () => {
  it('refuses a bad address and sends nothing', () =>
    withDigestRig({ subscribed: false }, async ({ service, sink }) => {
      expect((await say(service, 'digest hourly not-an-address')).title).toBe('"not-an-address" is not an email address. Use one like digest hourly me@example.com.');
      expect((await say(service, 'digest hourly')).title).toBe('Which address? For example: digest hourly me@example.com');
      expect(sink.attempts.count).toBe(0);
    }));

  it('subscribes from the chat and confirms through the link, once', () =>
    withDigestRig({ subscribed: false }, async ({ service, sink }) => {
      expect((await say(service, 'digest hourly Me@Example.com')).title).toBe('Check your inbox: me@example.com');
      const [confirmation] = await sink.waitFor(1);
      expect(confirmation!.to).toMatchObject({ text: 'me@example.com' });
      expect(confirmation!.subject).toBe('Confirm hookwatch digests for test chat chat-a');
      const link = linkIn(service, confirmation!, '/email/confirm');

      expect((await fetch(`${service.url}/email/confirm/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
      // Opening only asks (a mail scanner may open links): twice, and still unused.
      for (const opened of [await fetch(link), await fetch(link)]) expect(await opened.text()).toContain('Confirm hookwatch digests?');
      const confirmed = await followLink(link);
      expect(confirmed.status).toBe(200);
      expect(await confirmed.text()).toContain('Digests will be sent to me@example.com');
      const again = await fetch(link);
      expect(again.status).toBe(410);
      expect(await again.text()).toContain('Link already used');
    }));

  it('sends one digest with the right counts after the hour, never twice across restarts', () =>
    withDigestRig({ subscribed: true }, async (rig) => {
      const { sink, clock } = rig;
      await postFixture(rig.stripe(), fixtureNamed('stripe'));
      clock.ms = at('2026-11-26T17:20:00Z');
      await postFixture(rig.stripe(), fixtureNamed('stripe'));
      await postFixture(rig.github(), fixtureNamed('github-push'));
      expect((await fetch(rig.stripe(), { method: 'POST', body: 'x'.repeat(200_000) })).status).toBe(413);

      await rig.tickAt('2026-11-26T17:20:00Z');
      expect(sink.mails).toHaveLength(1); // the confirmation: the hour is not over

      await rig.tickAt('2026-11-26T18:00:30Z');
      expect(sink.mails).toHaveLength(2);
      const digest = sink.mails[1]!;
      expect(digest.subject).toBe('hookwatch digest: 3 deliveries, 1 rejected on 2 endpoints');
      expect(digest.text).toContain('26 Nov 2026, 17:00 UTC – 26 Nov 2026, 18:00 UTC');
      expect(digest.text).toMatch(/== stripe ==\nDeliveries: 2\nRejected as too large \(413\): 1\nFirst: 26 Nov 2026, 17:10 UTC\nLast: 26 Nov 2026, 17:20 UTC/);
      expect(digest.text).toContain('2 × Stripe · payment_intent.succeeded');
      expect(digest.text).toContain('1 × GitHub · push');
      expect(digest.html).toContain('<table');
      expect(digest.html).not.toMatch(/<script/i);
      const alt = 'Deliveries per 5 minutes (UTC), stacked by event type: payment_intent.succeeded 2, push 1';
      expect(digest.text).toContain(`${alt}.`);
      expect(digest.html).toContain(`alt="${alt}"`);
      const [chart, ...others] = digest.attachments;
      expect(others).toEqual([]);
      expect(chart).toMatchObject({ contentType: 'image/png', contentDisposition: 'inline', filename: 'stats-period.png', related: true });
      expect(chart!.cid).toMatch(/^deliveries-chart@/);
      expect(pngHeader(chart!.content)).toEqual({ width: 900, height: 450 });
      expect(headerText(digest, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(headerText(digest, 'list-unsubscribe')).toMatch(new RegExp(`^<${PUBLIC_URL}/email/unsubscribe/[A-Za-z0-9_-]{22}>$`));

      await rig.service.digests!.tick();
      await rig.restart();
      await rig.restart();
      expect(sink.mails).toHaveLength(2);
    }));

  it('sends a preview on demand without closing the period: the regular digest still covers it', () =>
    withDigestRig({ subscribed: true }, async (rig) => {
      const { sink, clock } = rig;
      clock.ms = at('2026-11-26T18:10:00Z');
      await postFixture(rig.stripe(), fixtureNamed('stripe'));
      expect((await say(rig.service, 'digest now')).title).toBe('Sending a preview to me@example.com');
      const [, preview] = await sink.waitFor(2);
      expect(preview!.subject).toBe('[preview] hookwatch digest: 1 delivery on 1 endpoint');
      expect(headerText(preview!, 'list-unsubscribe')).not.toBe('');

      await rig.tickAt('2026-11-26T19:00:30Z');
      expect(sink.mails).toHaveLength(3);
      expect(sink.mails[2]!.subject).toBe('hookwatch digest: 1 delivery on 1 endpoint');
      expect(sink.mails[2]!.text).toContain('– 26 Nov 2026, 19:00 UTC');
    }));

  it('after downtime sends the missed digest once on start, naming silent endpoints', () =>
    withDigestRig({ subscribed: true }, async (rig) => {
      const { sink, clock } = rig;
      clock.ms = at('2026-11-26T17:20:00Z');
      await postFixture(rig.github(), fixtureNamed('github-push'));
      await rig.tickAt('2026-11-26T18:00:30Z');
      clock.ms = at('2026-11-26T18:10:00Z');
      await postFixture(rig.stripe(), fixtureNamed('stripe'));
      expect(sink.mails).toHaveLength(2);

      await rig.restart(() => (clock.ms = at('2026-11-26T20:05:00Z')));
      expect(sink.mails).toHaveLength(3);
      const missed = sink.mails[2]!;
      expect(missed.subject).toBe('hookwatch digest: 1 delivery on 1 endpoint');
      expect(missed.text).toContain('26 Nov 2026, 18:00 UTC – 26 Nov 2026, 20:00 UTC');
      expect(missed.text).toContain('Silent in this period:\n  github (last delivery 26 Nov 2026, 17:20 UTC)');
      await rig.restart();
      await rig.restart();
      expect(sink.mails).toHaveLength(3);
    }));

  it('sends nothing for a quiet period', () =>
    withDigestRig({ subscribed: true }, async (rig) => {
      await postFixture(rig.stripe(), fixtureNamed('stripe'));
      await rig.tickAt('2026-11-26T18:00:30Z');
      expect(rig.sink.mails).toHaveLength(2);
      await rig.tickAt('2026-11-26T19:00:10Z');
      expect(rig.sink.mails).toHaveLength(2);
    }));

  it('unsubscribes by the link without logging in, and then sends nothing more', () =>
    withDigestRig({ subscribed: true }, async (rig) => {
      const { sink, service } = rig;
      await postFixture(rig.stripe(), fixtureNamed('stripe'));
      await rig.tickAt('2026-11-26T18:00:30Z');
      const link = linkIn(service, sink.mails[1]!, '/email/unsubscribe');
      const unknown = await fetch(`${service.url}/email/unsubscribe/AAAAAAAAAAAAAAAAAAAAAA`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('Unknown unsubscribe link');
      expect((await fetch(`${service.url}/email/unsubscribe/AAAAAAAAAAAAAAAAAAAAAA`, { method: 'POST' })).status).toBe(404);
      const page = await fetch(link);
      expect(await page.text()).toMatch(/<form method="post" action="\/email\/unsubscribe\/[A-Za-z0-9_-]{22}">/);
      const oneClick = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(oneClick.status).toBe(200);
      expect(await (await fetch(link)).text()).toContain('You are unsubscribed');

      rig.clock.ms = at('2026-11-26T18:20:00Z');
      await postFixture(rig.stripe(), fixtureNamed('stripe'));
      await rig.tickAt('2026-11-26T19:00:10Z');
      expect(sink.mails).toHaveLength(2);
    }));
});

describe('email digests with a failing SMTP server', () => {
  it('retries a refused connection and 4xx answers with backoff', async () => {
    const port = await freePort();
    let clock = at('2026-11-26T09:30:00Z');
    const service = await startTestService(testConfig({ SMTP_URL: `smtp://127.0.0.1:${port}` }), [createRecordingChannel('test').channel], { now: () => clock });
    let sink: SmtpSink | undefined;
    try {
      const url = localUrl(service, await say(service, 'new shop'));
      const started = Date.now();
      expect((await say(service, 'digest hourly ops@example.com')).title).toBe('Check your inbox: ops@example.com');
      expect(Date.now() - started).toBeLessThan(1000);
      // While the confirmation mail is being retried, webhooks are answered as fast as ever.
      const posted = Date.now();
      expect((await postFixture(url, fixtureNamed('shopify'))).status).toBe(200);
      expect(Date.now() - posted).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 150)); // a few refused attempts
      sink = await startSmtpSink(port);
      const [confirmation] = await sink.waitFor(1);
      expect((await followLink(linkIn(service, confirmation!, '/email/confirm'))).status).toBe(200);

      sink.failNext(2, 451);
      clock = at('2026-11-26T10:00:05Z');
      await service.digests!.tick();
      await service.digests!.idle();
      expect(sink.mails).toHaveLength(2);
      expect(sink.attempts.count).toBe(4);
      expect(sink.mails[1]!.subject).toBe('hookwatch digest: 1 delivery on 1 endpoint');
    } finally {
      await service.stop();
      await sink?.stop();
    }
  });

  it('resumes a digest the SMTP server kept refusing when the service stopped, once', async () => {
    const sink = await startSmtpSink();
    const clock = { now: at('2026-11-26T09:30:00Z') };
    const config = testConfig({ SMTP_URL: sink.url });
    const start = () => startTestService(config, [createRecordingChannel('test').channel], { now: () => clock.now });
    let service = await start();
    try {
      const url = localUrl(service, await say(service, 'new shop'));
      await say(service, 'digest hourly ops@example.com');
      const [confirmation] = await sink.waitFor(1);
      await followLink(linkIn(service, confirmation!, '/email/confirm'));
      await postFixture(url, fixtureNamed('shopify'));

      sink.failNext(1_000);
      clock.now = at('2026-11-26T10:00:05Z');
      await service.digests!.tick();
      while (sink.attempts.count < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      await service.stop(); // the period is claimed, not sent

      sink.failNext(0);
      service = await start();
      await service.digests!.idle();
      expect(sink.mails).toHaveLength(2);
      expect(sink.mails[1]!.subject).toBe('hookwatch digest: 1 delivery on 1 endpoint');
      await service.stop();
      service = await start();
      await service.digests!.idle();
      expect(sink.mails).toHaveLength(2);
    } finally {
      await service.stop();
      await sink.stop();
    }
  });

  it('mails an address at most one confirmation every 10 minutes, whichever chat asks', () =>
    withOwnSink(async ({ sink, service, clock }) => {
      expect((await say(service, 'digest daily target@example.com')).title).toBe('Check your inbox: target@example.com');
      await sink.waitFor(1);
      expect((await say(service, 'digest daily target@example.com', testChat('chat-b'))).title).toBe('A confirmation went to target@example.com a few minutes ago');
      expect((await say(service, 'digest now target@example.com')).title).toBe('A confirmation went to target@example.com a few minutes ago');
      clock.ms += 11 * 60_000;
      expect((await say(service, 'digest daily target@example.com', testChat('chat-b'))).title).toBe('Check your inbox: target@example.com');
      await sink.waitFor(2);
      expect(sink.mails).toHaveLength(2);
    }));

  it('answers expired confirmation links with a clear page and changes nothing', () =>
    withOwnSink(async ({ sink, service, clock }) => {
      await say(service, 'digest daily late@example.com');
      const [confirmation] = await sink.waitFor(1);
      clock.ms += 25 * 3_600_000;
      const expired = await followLink(linkIn(service, confirmation!, '/email/confirm'));
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('Confirmation link expired');
      expect((await say(service, 'digest now')).title).toBe('Check your inbox: late@example.com');
    }));
});
