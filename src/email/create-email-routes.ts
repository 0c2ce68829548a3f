import express, { type Response, type Router } from 'express';
import type { Logger } from '../logger.ts';
import type { DigestRepository, UnsubscribeTarget } from './digest-repository.ts';
import { CONFIRMATION_VALID_HOURS } from './digest-subscriptions.ts';
import { sendEmailPage } from './send-email-page.ts';

const TOKEN = /^[A-Za-z0-9_-]{22}$/;

/**
 * The links in mails, open to anyone holding the token (no login): confirming an address and
 * unsubscribing, each a page with a one-click form (and, for unsubscribing, RFC 8058's POST from mail clients). A link that
 * is unknown, expired or spent gets a clear page and changes nothing.
 */
export function createEmailRoutes(deps: { repo: DigestRepository; now: () => number; logger: Logger }): Router {
  const { repo, now } = deps;
  const router = express.Router();

  /** The pending confirmation behind `token`; otherwise the page saying why not (and undefined). */
  async function usableConfirmation(token: string, res: Response) {
    const confirmation = TOKEN.test(token) ? await repo.confirmation(token) : undefined;
    if (!confirmation) {
      sendEmailPage(res, 404, 'Unknown confirmation link', 'This link is not one hookwatch sent, or it was copied incompletely. Nothing was changed.');
      return undefined;
    }
    if (await repo.confirmationUsed(token)) {
      sendEmailPage(res, 410, 'Link already used', 'This confirmation link was used before. Nothing was changed.');
      return undefined;
    }
    if (confirmation.expiresAt <= now()) {
      sendEmailPage(res, 410, 'Confirmation link expired', 'This link has expired and nothing was changed. Run the digest command in the chat again for a new one.');
      return undefined;
    }
    // Only a link mailed after an unsubscribe can bring consent back.
    const withdrawnAt = await repo.withdrawnAt(confirmation.chat, confirmation.email);
    if (withdrawnAt !== undefined && withdrawnAt >= confirmation.expiresAt - CONFIRMATION_VALID_HOURS * 3_600_000) {
      sendEmailPage(res, 410, 'Link no longer valid', `This link was mailed before this address unsubscribed, so nothing was changed. To receive digests at ${confirmation.email} again, run the digest command in the chat for a new link.`);
      return undefined;
    }
    return confirmation;
  }

  // Opening the link only asks: mail scanners fetch links, and must not confirm an address for its owner.
  router.get('/email/confirm/:token', async (req, res) => {
    const confirmation = await usableConfirmation(req.params.token, res);
    if (!confirmation) return;
    sendEmailPage(res, 200, 'Confirm hookwatch digests?', `Digests of a chat's webhook activity will be sent to ${confirmation.email}.`, {
      action: `/email/confirm/${req.params.token}`,
      button: 'Confirm',
    });
  });

  router.post('/email/confirm/:token', async (req, res) => {
    req.resume();
    const confirmation = await usableConfirmation(req.params.token, res);
    if (!confirmation) return;
    await repo.confirm(req.params.token, confirmation, now());
    sendEmailPage(res, 200, 'Address confirmed', `Digests will be sent to ${confirmation.email}. Each one has an unsubscribe link.`);
  });

  /** The chat and address behind `token`; otherwise the page saying it is unknown (and undefined). */
  async function unsubscribeTarget(token: string, res: Response): Promise<UnsubscribeTarget | undefined> {
    const target = TOKEN.test(token) ? await repo.unsubscribeTarget(token) : undefined;
    if (!target) sendEmailPage(res, 404, 'Unknown unsubscribe link', 'This link is not one hookwatch sent, or it was copied incompletely. Nothing was changed.');
    return target;
  }

  /** Whether mail may still go to the address for the chat: the page tells the state, not whether this link was used. */
  async function stillSubscribed(token: string, target: UnsubscribeTarget): Promise<boolean> {
    if (target.email === null) return !(await repo.isUnsubscribed(token));
    return (await repo.consent(target.chat, target.email)) === 'given';
  }

  router.get('/email/unsubscribe/:token', async (req, res) => {
    const token = req.params.token;
    const target = await unsubscribeTarget(token, res);
    if (!target) return;
    if (!(await stillSubscribed(token, target))) {
      sendEmailPage(res, 200, 'Unsubscribed', 'You are unsubscribed from these digests. Nothing more is sent to this address for this chat until it confirms a new link.');
      return;
    }
    sendEmailPage(res, 200, 'Unsubscribe from hookwatch digests?', 'No more digests will be sent to this address for this chat.', { action: `/email/unsubscribe/${token}`, button: 'Unsubscribe' });
  });

  router.post('/email/unsubscribe/:token', async (req, res) => {
    req.resume();
    const token = req.params.token;
    const target = await unsubscribeTarget(token, res);
    if (!target) return;
    if (await stillSubscribed(token, target)) {
      await repo.unsubscribe(token, target, now());
      deps.logger.info({ chat: target.chat }, 'digest unsubscribed by link');
    }
    sendEmailPage(res, 200, 'Unsubscribed', 'No more digests will be sent to this address for this chat until it confirms a new link.');
  });

  return router;
}
