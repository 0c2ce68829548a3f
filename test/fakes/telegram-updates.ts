/**
 * The update side of the Telegram fake: the queue of unconfirmed updates, real long polling (`getUpdates` held
 * up to `timeout` s, offset confirmation, 409 for a second poller or while a webhook is set) and webhook delivery
 * (POST per update, sequential, `X-Telegram-Bot-Api-Secret-Token`, retried until a 2xx).
 */
import type { ServerResponse } from 'node:http';
import { badRequest, TelegramApiError, type Payload, type TgUpdate, type WebhookState } from './telegram-types.ts';

interface HeldPoll {
  limit: number;
  finish: (result: TgUpdate[] | TelegramApiError) => void;
}

export interface UpdateQueueHooks {
  /** Abortable sleep owned by the fake (cleared on stop). */
  sleep(ms: number): Promise<void>;
  /** Called after every webhook delivery attempt. */
  notify(): void;
  isRunning(): boolean;
  webhookRetryMs: number;
}

const WEBHOOK_CONFLICT =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const POLL_CONFLICT =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

export class UpdateQueue {
  /** Updates not yet confirmed by a getUpdates offset (or not yet accepted by the webhook). */
  readonly pending: TgUpdate[] = [];
  /** Webhook POSTs made: update_id and the HTTP status (0 = network error). */
  readonly deliveries: Array<{ updateId: number; status: number; at: number }> = [];
  webhook: WebhookState = { url: '' };
  private nextUpdateId = 1;
  private allowedUpdates: string[] = [];
  private poll: HeldPoll | undefined;
  private pumping = false;

  constructor(private readonly hooks: UpdateQueueHooks) {}

  push(update: Omit<TgUpdate, 'update_id'>): TgUpdate {
    const full = { ...update, update_id: this.nextUpdateId++ } as TgUpdate;
    this.pending.push(full);
    if (this.webhook.url) void this.pumpWebhook();
    else if (this.poll) {
      const ready = this.deliverable(this.poll.limit);
      if (ready.length > 0) this.poll.finish(ready);
    }
    return full;
  }

  /** Answers a held poll with `[]` (used on stop and when a webhook gets set). */
  release(): void {
    this.poll?.finish([]);
  }

  getUpdates(p: Payload, res: ServerResponse): TgUpdate[] | Promise<TgUpdate[]> {
    if (this.webhook.url) throw new TelegramApiError(409, WEBHOOK_CONFLICT);
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    const limit = Math.min(100, Math.max(1, typeof p.limit === 'number' ? p.limit : 100));
    const timeout = Math.max(0, typeof p.timeout === 'number' ? p.timeout : 0);
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = p.allowed_updates.map(String);
    // Confirmation: below a positive offset everything is forgotten; a negative one keeps the last -offset.
    const keepFrom =
      offset < 0
        ? Math.max(0, this.pending.length + offset)
        : this.pending.findIndex((u) => u.update_id >= offset);
    this.pending.splice(0, keepFrom === -1 ? this.pending.length : keepFrom);
    this.poll?.finish(new TelegramApiError(409, POLL_CONFLICT));

    const ready = this.deliverable(limit);
    if (ready.length > 0 || timeout === 0 || !this.hooks.isRunning()) return ready;
    return new Promise<TgUpdate[]>((resolve, reject) => {
      const poll: HeldPoll = {
        limit,
        finish: (result) => {
          if (this.poll !== poll) return;
          this.poll = undefined;
          clearTimeout(timer);
          if (result instanceof TelegramApiError) reject(result);
          else resolve(result);
        },
      };
      const timer = setTimeout(() => poll.finish([]), timeout * 1000);
      this.poll = poll;
      res.on('close', () => poll.finish([])); // the client gave up (grammY's bot.stop() aborts the request)
    });
  }

  setWebhook(p: Payload): true {
    const url = p.url === undefined ? '' : String(p.url);
    // Telegram demands https on ports 443/80/88/8443; the fake accepts http so a local service can be the target.
    if (url !== '' && !/^https?:\/\/[^/]+/i.test(url)) {
      throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    }
    const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest('secret token contains unallowed characters');
    }
    if (p.drop_pending_updates === true) this.pending.length = 0;
    this.webhook = {
      url,
      ...(secret !== undefined ? { secretToken: secret } : {}),
      ...(typeof p.max_connections === 'number' ? { maxConnections: p.max_connections } : {}),
      ...(Array.isArray(p.allowed_updates) ? { allowedUpdates: p.allowed_updates.map(String) } : {}),
    };
    if (this.webhook.allowedUpdates) this.allowedUpdates = this.webhook.allowedUpdates;
    this.release();
    if (url) void this.pumpWebhook();
    return true;
  }

  deleteWebhook(p: Payload): true {
    if (p.drop_pending_updates === true) this.pending.length = 0;
    this.webhook = { url: '' };
    return true;
  }

  getWebhookInfo() {
    const { url, lastErrorDate, lastErrorMessage, maxConnections, allowedUpdates } = this.webhook;
    return {
      url,
      has_custom_certificate: false,
      pending_update_count: this.pending.length,
      ...(lastErrorDate ? { last_error_date: lastErrorDate, last_error_message: lastErrorMessage } : {}),
      ...(url ? { max_connections: maxConnections ?? 40 } : {}),
      ...(allowedUpdates ? { allowed_updates: allowedUpdates } : {}),
    };
  }

  /** Pending updates up to `limit`; types excluded by allowed_updates are dropped, as Telegram does. */
  private deliverable(limit: number): TgUpdate[] {
    const allowed = this.allowedUpdates;
    if (allowed.length > 0) {
      const keep = this.pending.filter((u) => Object.keys(u).some((k) => allowed.includes(k)));
      this.pending.splice(0, this.pending.length, ...keep);
    }
    return this.pending.slice(0, limit);
  }

  /** Delivers pending updates one by one; a failed delivery is retried after webhookRetryMs. */
  private async pumpWebhook(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.hooks.isRunning() && this.webhook.url) {
        const update = this.deliverable(1)[0];
        if (!update) break;
        const { url, secretToken } = this.webhook;
        let status = 0;
        let error: string;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(secretToken ? { 'x-telegram-bot-api-secret-token': secretToken } : {}),
            },
            body: JSON.stringify(update),
            signal: AbortSignal.timeout(10_000),
          });
          await res.arrayBuffer();
          status = res.status;
          error = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
        } catch (e) {
          error = `Connection failed: ${e instanceof Error ? e.message : String(e)}`;
        }
        this.deliveries.push({ updateId: update.update_id, status, at: Date.now() });
        this.hooks.notify();
        if (status >= 200 && status < 300) {
          const index = this.pending.indexOf(update);
          if (index !== -1) this.pending.splice(index, 1);
          continue;
        }
        this.webhook.lastErrorDate = Math.floor(Date.now() / 1000);
        this.webhook.lastErrorMessage = error;
        await this.hooks.sleep(this.hooks.webhookRetryMs);
      }
    } finally {
      this.pumping = false;
    }
  }
}
