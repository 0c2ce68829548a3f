import type { Router } from 'express';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { KeyValueStore } from '../store/key-value-store.ts';
import { collectActivity, type ActivitySources } from './collect-activity.ts';
import { createEmailRoutes } from './create-email-routes.ts';
import { createMailer } from './create-mailer.ts';
import { createDigestRepository } from './digest-repository.ts';
import { createDigestScheduler, type DigestScheduler } from './digest-scheduler.ts';
import { createDigestSubscriptions, type DigestSubscriptions } from './digest-subscriptions.ts';

export interface EmailDigests {
  subscriptions: DigestSubscriptions;
  scheduler: DigestScheduler;
  routes: Router;
}

/** Email digests when SMTP_URL is set: store, mailer, scheduler, the command's API and the links' routes. */
export function createEmailDigests(deps: ActivitySources & { store: KeyValueStore; config: Config & { SMTP_URL: string }; logger: Logger; now: () => number; retryBaseMs?: number }): EmailDigests {
  const { config, now } = deps;
  const logger = deps.logger.child({ component: 'email' });
  const repo = createDigestRepository(deps.store);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger, ...(deps.retryBaseMs ? { baseRetryMs: deps.retryBaseMs } : {}) });
  const scheduler = createDigestScheduler({
    repo,
    mailer,
    collect: (chat, start, end) => collectActivity(deps, chat, start, end),
    clock: { hour: config.DIGEST_HOUR, timeZone: config.DIGEST_TIMEZONE },
    publicUrl: config.PUBLIC_URL,
    logger,
    now,
  });
  return {
    subscriptions: createDigestSubscriptions({ repo, mailer, scheduler, publicUrl: config.PUBLIC_URL, logger, now }),
    scheduler,
    routes: createEmailRoutes({ repo, now, logger }),
  };
}
