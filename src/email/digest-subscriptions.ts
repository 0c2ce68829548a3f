import type { ChatRef } from '../domain/chat.ts';
import { newToken } from '../domain/ids.ts';
import type { Logger } from '../logger.ts';
import { buildConfirmationMail } from './build-confirmation-mail.ts';
import { chatLabel } from './chat-label.ts';
import type { Mailer } from './create-mailer.ts';
import type { DigestRepository, Subscription } from './digest-repository.ts';
import type { DigestScheduler } from './digest-scheduler.ts';
import { confirmUrl } from './email-links.ts';

export const CONFIRMATION_VALID_HOURS = 24;
/** At most one confirmation mail per address in this time, whichever chat asks: the bot must not be a way to flood an inbox. */
export const CONFIRMATION_RESEND_MS = 10 * 60_000;

export type DigestChoice =
  | { kind: 'no-address' }
  | { kind: 'confirm'; email: string }
  | { kind: 'confirm-later'; email: string; after: number }
  | { kind: 'on'; email: string; schedule: 'hourly' | 'daily' };

export type PreviewResult =
  | { kind: 'no-address' }
  | { kind: 'other-address'; email: string }
  | { kind: 'not-confirmed'; email: string }
  | { kind: 'confirm-later'; email: string; after: number }
  | { kind: 'sending'; email: string; start: number; end: number };

export type DigestSubscriptions = ReturnType<typeof createDigestSubscriptions>;

/** What the `digest` command can do; it knows nothing of SMTP or express. */
export function createDigestSubscriptions(deps: { repo: DigestRepository; mailer: Mailer; scheduler: DigestScheduler; publicUrl: string; logger: Logger; now: () => number }) {
  const { repo, mailer, publicUrl, logger, now } = deps;
  /** When each address was last sent a confirmation (this process; a restart forgets, which only allows one more). */
  const confirmationMailed = new Map<string, number>();

  /** When a confirmation to `email` may be mailed again, if not now. */
  function resendBlockedUntil(email: string): number | undefined {
    for (const [address, at] of confirmationMailed) if (at + CONFIRMATION_RESEND_MS <= now()) confirmationMailed.delete(address);
    const last = confirmationMailed.get(email);
    return last === undefined ? undefined : last + CONFIRMATION_RESEND_MS;
  }

  /** Writes the pending confirmation with the subscription and mails the link in the background. */
  function confirmationFor(chat: ChatRef, email: string, schedule: string) {
    const token = newToken();
    const mail = buildConfirmationMail({ chatLabel: chatLabel(chat), schedule, link: confirmUrl(publicUrl, token), validHours: CONFIRMATION_VALID_HOURS });
    return {
      record: { token, value: { chat, email, expiresAt: now() + CONFIRMATION_VALID_HOURS * 3_600_000 } },
      send() {
        confirmationMailed.set(email, now());
        mailer.deliver({ to: email, ...mail, headers: { 'Auto-Submitted': 'auto-generated' } }).catch((error: unknown) => logger.error({ err: error }, 'confirmation mail failed'));
      },
    };
  }

  return {
    async choose(chat: ChatRef, schedule: 'hourly' | 'daily', address: string | undefined): Promise<DigestChoice> {
      const email = address?.toLowerCase() ?? (await repo.subscription(chat))?.email ?? undefined;
      if (email === undefined) return { kind: 'no-address' };
      const subscription: Subscription = { chat, schedule, email, since: now(), unsubscribeToken: newToken() };
      if (await repo.isConfirmed(chat, email)) {
        await repo.saveSubscription(subscription);
        return { kind: 'on', email, schedule };
      }
      const after = resendBlockedUntil(email);
      if (after !== undefined) {
        await repo.saveSubscription(subscription);
        return { kind: 'confirm-later', email, after };
      }
      const confirmation = confirmationFor(chat, email, schedule);
      await repo.saveSubscription(subscription, confirmation.record);
      confirmation.send();
      return { kind: 'confirm', email };
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
      if (!(await repo.isConfirmed(chat, email))) {
        const after = resendBlockedUntil(email);
        if (after !== undefined) return { kind: 'confirm-later', email, after };
        const confirmation = confirmationFor(chat, email, current && current.schedule !== 'off' ? current.schedule : 'daily');
        await repo.addConfirmation(confirmation.record.token, confirmation.record.value);
        confirmation.send();
        return { kind: 'not-confirmed', email };
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
