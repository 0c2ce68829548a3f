import nodemailer from 'nodemailer';
import { createInterruptibleSleeps } from '../shared/interruptible-sleeps.ts';
import type { Logger } from '../logger.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** Inline parts the HTML shows by `cid:` (the digest's chart). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string; cid: string }>;
  /** Stable per digest period, so a rare resend after a crash is recognisable as the same mail. */
  messageId?: string;
}

export interface MailerOptions {
  smtpUrl: string;
  from: string;
  logger: Logger;
  /** First retry delay; doubles per failure up to `maxRetryMs`. */
  baseRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * sent: accepted by the SMTP server; refused: a permanent (5xx) answer; unwanted: the address withdrew
 * its consent before an attempt; stopped: the service stopped first.
 */
export type MailOutcome = 'sent' | 'refused' | 'unwanted' | 'stopped';

export type Mailer = ReturnType<typeof createMailer>;

/**
 * nodemailer over SMTP_URL. `deliver` keeps trying a temporary failure (connection refused, 4xx,
 * timeouts) with exponential backoff until the server accepts or refuses for good. It runs off
 * the receiver's path: callers do not await it while answering anyone.
 */
export function createMailer(options: MailerOptions) {
  const { logger } = options;
  const baseRetryMs = options.baseRetryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 300_000;
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const { sleep, wakeAll } = createInterruptibleSleeps();
  const attempts = new Set<Promise<unknown>>();
  let stopped = false;

  /** `stillWanted` is asked before every attempt: an address may unsubscribe while its mail waits for a retry. */
  async function deliver(mail: OutgoingMail, stillWanted?: () => Promise<boolean>): Promise<MailOutcome> {
    const log = logger.child({ mailTo: mail.to, subject: mail.subject });
    for (let failures = 0; !stopped; ) {
      if (stillWanted && !(await stillWanted())) {
        log.info('mail dropped: the address unsubscribed');
        return 'unwanted';
      }
      const attempt = transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.headers ? { headers: mail.headers } : {}),
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
      });
      attempts.add(attempt);
      try {
        await attempt;
        return 'sent';
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) {
          log.error({ err: error }, 'mail refused for good by the SMTP server');
          return 'refused';
        }
        failures += 1;
        const delay = Math.min(maxRetryMs, baseRetryMs * 2 ** (failures - 1));
        log.warn({ err: error, retryInMs: delay }, 'mail failed; will retry');
        await sleep(delay);
      } finally {
        attempts.delete(attempt);
      }
    }
    return 'stopped';
  }

  return {
    deliver,
    /** Ends retries; waits (a few seconds at most) for SMTP transactions already under way. */
    async stop(): Promise<void> {
      stopped = true;
      wakeAll();
      await Promise.race([Promise.allSettled([...attempts]), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      transport.close();
    },
  };
}
