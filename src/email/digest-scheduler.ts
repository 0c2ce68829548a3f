import type { ChatRef } from '../domain/chat.ts';
import { chatKey } from '../domain/chat.ts';
import type { Logger } from '../logger.ts';
import { buildDigest, hasActivity, type EndpointActivity } from './build-digest.ts';
import { chatLabel } from './chat-label.ts';
import type { Mailer, OutgoingMail } from './create-mailer.ts';
import { digestChart } from './digest-chart.ts';
import { nextBoundaryAfter, periodEndAt, type DigestSchedule, type PeriodClock } from './digest-period.ts';
import type { Claim, DigestRepository, Subscription } from './digest-repository.ts';
import { unsubscribeHeaders, unsubscribeUrl } from './email-links.ts';

/** The chart's Content-ID in the digest's HTML (`cid:`). */
const CHART_CID = 'deliveries-chart';

export interface DigestSchedulerOptions {
  repo: DigestRepository;
  mailer: Mailer;
  collect: (chat: ChatRef, start: number, end: number) => Promise<EndpointActivity[]>;
  clock: PeriodClock;
  publicUrl: string;
  logger: Logger;
  now: () => number;
  /** Longest sleep between checks, so a changed clock or a suspended machine is noticed. */
  maxSleepMs?: number;
}

export type DigestScheduler = ReturnType<typeof createDigestScheduler>;

/**
 * Sends each subscription's digest once per period. A period is claimed in the store before its
 * mail goes out and marked sent after the SMTP server accepted it, so a restart neither repeats a
 * sent period nor loses a claimed one (a claim still "sending" is resumed on start). Missed periods
 * after downtime become one digest covering the time since the last one.
 */
export function createDigestScheduler(options: DigestSchedulerOptions) {
  const { repo, mailer, clock, publicUrl, logger, now } = options;
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  const sending = new Map<string, Promise<void>>();
  let running: Promise<void> | undefined;
  let resumed = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const claimId = (chat: ChatRef, end: number) => `${chatKey(chat)}@${end}`;

  /** Where the digest ending at `end` starts: the end of the last one, but not before the schedule was chosen. */
  async function startOf(subscription: Subscription, schedule: DigestSchedule, end: number): Promise<number> {
    const last = await repo.lastClaim(subscription.chat);
    const earliest = periodEndAt(schedule, Math.min(subscription.since, end - 1), clock);
    return last && last.end < end ? Math.max(last.end, earliest) : earliest;
  }

  async function mailFor(claim: Claim, activity: EndpointActivity[], preview: boolean): Promise<OutgoingMail> {
    const link = unsubscribeUrl(publicUrl, claim.unsubscribeToken);
    const host = new URL(publicUrl).hostname;
    const image = await digestChart(activity, claim.start, claim.end, logger);
    const chart = image && { cid: `${CHART_CID}@${host}`, alt: image.alt };
    const digest = buildDigest({ chatLabel: chatLabel(claim.chat), start: claim.start, end: claim.end, timeZone: clock.timeZone, endpoints: activity, unsubscribeUrl: link, preview, ...(chart ? { chart } : {}) });
    return {
      to: claim.email,
      ...digest,
      ...(image && chart ? { attachments: [{ filename: image.filename, content: image.png, contentType: 'image/png', cid: chart.cid }] } : {}),
      headers: { ...unsubscribeHeaders(link), 'Auto-Submitted': 'auto-generated' },
      ...(preview ? {} : { messageId: `<digest.${encodeURIComponent(chatKey(claim.chat)).replace(/%/g, '')}.${claim.end}@${host}>` }),
    };
  }

  function send(claim: Claim, activity?: EndpointActivity[]): void {
    const id = claimId(claim.chat, claim.end);
    if (sending.has(id) || stopped) return;
    const log = logger.child({ chat: chatKey(claim.chat), periodEnd: claim.end });
    const job = (async () => {
      const mail = await mailFor(claim, activity ?? (await options.collect(claim.chat, claim.start, claim.end)), false);
      // Also a claim resumed after a restart: the address may have unsubscribed since.
      const outcome = await mailer.deliver(mail, () => stillConsents(claim));
      if (outcome === 'stopped') return; // still "sending": the next start resumes it
      await repo.saveClaim({ ...claim, status: outcome === 'sent' ? 'sent' : 'failed' });
      log.info({ outcome }, 'digest mail done');
    })()
      .catch((error: unknown) => log.error({ err: error }, 'digest failed'))
      .finally(() => sending.delete(id));
    sending.set(id, job);
  }

  /** The address still wants the chat's digests: its consent holds, and the mail's own link was not used. */
  async function stillConsents({ chat, email, unsubscribeToken }: Pick<Claim, 'chat' | 'email' | 'unsubscribeToken'>): Promise<boolean> {
    return !(await repo.isUnsubscribed(unsubscribeToken)) && (await repo.consent(chat, email)) === 'given';
  }

  async function check(subscription: Subscription, at: number): Promise<void> {
    if (subscription.schedule === 'off' || subscription.email === null) return;
    const end = periodEndAt(subscription.schedule, at, clock);
    if (end <= subscription.since || sending.has(claimId(subscription.chat, end))) return;
    if (await repo.claim(subscription.chat, end)) return;
    if (!(await stillConsents({ ...subscription, email: subscription.email }))) return;
    const start = await startOf(subscription, subscription.schedule, end);
    const claim: Claim = { chat: subscription.chat, email: subscription.email, start, end, unsubscribeToken: subscription.unsubscribeToken, status: 'sending' };
    const activity = await options.collect(subscription.chat, start, end);
    if (!hasActivity({ endpoints: activity })) {
      await repo.saveClaim({ ...claim, status: 'empty' });
      return;
    }
    await repo.saveClaim(claim);
    send(claim, activity);
  }

  async function run(): Promise<void> {
    if (!resumed) {
      resumed = true;
      for (const claim of await repo.unfinishedClaims()) send(claim);
    }
    const at = now();
    for (const subscription of await repo.subscriptions()) {
      if (stopped) return;
      await check(subscription, at).catch((error: unknown) => logger.error({ err: error, chat: chatKey(subscription.chat) }, 'digest check failed'));
    }
  }

  function arm(): void {
    if (stopped) return;
    clearTimeout(timer);
    const untilBoundary = nextBoundaryAfter(now(), clock) - now() + 100;
    timer = setTimeout(() => void tick(), Math.max(100, Math.min(maxSleepMs, untilBoundary)));
    timer.unref();
  }

  /** Sends whatever is due now (also resumes claims left by an earlier run). Concurrent calls share one check. */
  function tick(): Promise<void> {
    running ??= run()
      .catch((error: unknown) => logger.error({ err: error }, 'digest check failed'))
      .finally(() => {
        running = undefined;
        arm();
      });
    return running;
  }

  return {
    tick,
    /** Resolves once every digest mail under way has been accepted or given up. */
    async idle(): Promise<void> {
      while (running || sending.size > 0) await Promise.all([running, ...sending.values()]);
    },
    /** `digest now`: the period so far, to the subscription's address, without closing the period. */
    async preview(subscription: Subscription & { email: string }): Promise<{ start: number; end: number }> {
      const end = now() + 1; // up to and including this millisecond
      const schedule = subscription.schedule === 'off' ? 'daily' : subscription.schedule;
      const start = await startOf(subscription, schedule, end);
      const claim: Claim = { chat: subscription.chat, email: subscription.email, start, end, unsubscribeToken: subscription.unsubscribeToken, status: 'sending' };
      const mail = await mailFor(claim, await options.collect(subscription.chat, start, end), true);
      void mailer.deliver(mail, () => stillConsents(claim)).catch((error: unknown) => logger.error({ err: error }, 'digest preview failed'));
      return { start, end };
    },
    start(): Promise<void> {
      stopped = false;
      resumed = false;
      return tick();
    },
    /**
     * Stops looking for due digests (this process no longer leads); mails under way go on, and the claim of
     * one the next leader finds still sending is resumed there, so that one may go twice.
     */
    async pause(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await mailer.stop();
      await running;
      await Promise.all(sending.values());
    },
  };
}
