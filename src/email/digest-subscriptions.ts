import type { ChatRef } from '../domain/chat.ts';
import { newToken } from '../domain/ids.ts';
import type { Logger } from '../logger.ts';
import { buildConfirmationMail } from './build-confirmation-mail.ts';
import { chatLabel } from './chat-label.ts';
import type { Mailer } from './create-mailer.ts';
import type { DigestRepository, PendingConfirmation, Subscription } from './digest-repository.ts';
import type { DigestScheduler } from './digest-scheduler.ts';
import { confirmUrl } from './email-links.ts';

export const CONFIRMATION_VALID_HOURS = 24;
/** At most one confirmation mail per address in this time, whichever chat asks: the bot must not be a way to flood an inbox. */
export const CONFIRMATION_RESEND_MS = 10 * 60_000;
/** At most this many confirmation mails per chat an hour, to any addresses: nor a way to spam many. */
export const CONFIRMATIONS_PER_CHAT = 5;
const CHAT_WINDOW_MS = 3_600_000;

/** Why no confirmation mail may go now: the address had one lately, or the chat asked for too many. */
export type MailLimit = { kind: 'confirm-later'; email: string; after: number } | { kind: 'chat-limit'; max: number; after: number };

export type DigestChoice =
  | { kind: 'no-address' }
  | { kind: 'confirm'; email: string; withdrawn: boolean }
  | MailLimit
  | { kind: 'on'; email: string; schedule: 'hourly' | 'daily' };

export type PreviewResult =
  | { kind: 'no-address' }
  | { kind: 'other-address'; email: string }
  | { kind: 'not-confirmed'; email: string; withdrawn: boolean }
  | MailLimit
  | { kind: 'sending'; email: string; start: number; end: number };

export type DigestSubscriptions = ReturnType<typeof createDigestSubscriptions>;

/**
 * What the `digest` command can do; it knows nothing of SMTP or express. Mail goes to an address only
 * while it consents (confirmed for the chat, not unsubscribed since); otherwise it gets a confirmation
 * mail, within limits kept in the store, so they hold across restarts.
 */
export function createDigestSubscriptions(deps: { repo: DigestRepository; mailer: Mailer; scheduler: DigestScheduler; publicUrl: string; logger: Logger; now: () => number }) {
  const { repo, mailer, publicUrl, logger, now } = deps;
  /** Confirmation mails are decided one at a time: two chats' commands (which run concurrently) cannot both take the last slot. */
  let deciding: Promise<unknown> = Promise.resolve();

  /**
   * Checks the limits and, when they allow, has `write` store the confirmation (which counts it against
   * them) before its link is mailed in the background: a limit counts before the act.
   */
  function mailConfirmation(chat: ChatRef, email: string, schedule: string, write: (confirmation: PendingConfirmation) => Promise<void>): Promise<MailLimit | undefined> {
    const decision = deciding.then(async (): Promise<MailLimit | undefined> => {
      const limit = await limitFor(chat, email);
      if (limit) return limit;
      const token = newToken();
      const mailedAt = now();
      await write({ token, value: { chat, email, expiresAt: mailedAt + CONFIRMATION_VALID_HOURS * 3_600_000 }, mailedAt });
      const mail = buildConfirmationMail({ chatLabel: chatLabel(chat), schedule, link: confirmUrl(publicUrl, token), validHours: CONFIRMATION_VALID_HOURS });
      mailer.deliver({ to: email, ...mail, headers: { 'Auto-Submitted': 'auto-generated' } }).catch((error: unknown) => logger.error({ err: error }, 'confirmation mail failed'));
      return undefined;
    });
    deciding = decision.catch(() => undefined);
    return decision;
  }

  async function limitFor(chat: ChatRef, email: string): Promise<MailLimit | undefined> {
    const last = await repo.lastMailTo(email);
    if (last !== undefined && last + CONFIRMATION_RESEND_MS > now()) return { kind: 'confirm-later', email, after: last + CONFIRMATION_RESEND_MS };
    const recent = await repo.mailsFrom(chat, now() - CHAT_WINDOW_MS + 1);
    if (recent.length >= CONFIRMATIONS_PER_CHAT) return { kind: 'chat-limit', max: CONFIRMATIONS_PER_CHAT, after: recent[recent.length - CONFIRMATIONS_PER_CHAT]! + CHAT_WINDOW_MS };
    return undefined;
  }

  return {
    async choose(chat: ChatRef, schedule: 'hourly' | 'daily', address: string | undefined): Promise<DigestChoice> {
      const email = address?.toLowerCase() ?? (await repo.subscription(chat))?.email ?? undefined;
      if (email === undefined) return { kind: 'no-address' };
      const subscription: Subscription = { chat, schedule, email, since: now(), unsubscribeToken: newToken() };
      const consent = await repo.consent(chat, email);
      if (consent === 'given') {
        await repo.saveSubscription(subscription);
        return { kind: 'on', email, schedule };
      }
      const limit = await mailConfirmation(chat, email, schedule, (confirmation) => repo.saveSubscription(subscription, confirmation));
      // The address's earlier link may still be confirmed, and then this schedule applies.
      if (limit?.kind === 'confirm-later') await repo.saveSubscription(subscription);
      return limit ?? { kind: 'confirm', email, withdrawn: consent === 'withdrawn' };
    },

    async off(chat: ChatRef): Promise<{ email: string | null } | undefined> {
      const current = await repo.subscription(chat);
      if (!current || current.schedule === 'off') return undefined;
      await repo.saveSubscription({ ...current, schedule: 'off', since: now() });
      return { email: current.email };
    },

    async preview(chat: ChatRef, address: string | undefined): Promise<PreviewResult> {
      const current = await repo.subscription(chat);
      const email = address?.toLowerCase() ?? current?.email ?? undefined;
      if (email === undefined) return { kind: 'no-address' };
      const consent = await repo.consent(chat, email);
      if (consent !== 'given') {
        const schedule = current && current.schedule !== 'off' ? current.schedule : 'daily';
        const limit = await mailConfirmation(chat, email, schedule, (confirmation) => repo.addConfirmation(confirmation));
        return limit ?? { kind: 'not-confirmed', email, withdrawn: consent === 'withdrawn' };
      }
      if (current && current.schedule !== 'off' && current.email !== email) return { kind: 'other-address', email: current.email ?? '' };
      // A preview carries a working unsubscribe link too: the chat's own, or that of a new (off) record.
      let subscription = current?.email === email ? current : undefined;
      if (!subscription) {
        subscription = { chat, schedule: 'off', email, since: now(), unsubscribeToken: newToken() };
        await repo.saveSubscription(subscription);
      }
      const period = await deps.scheduler.preview({ ...subscription, email });
      return { kind: 'sending', email, ...period };
    },
  };
}
