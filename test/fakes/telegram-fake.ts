/**
 * A protocol-faithful fake of the Telegram Bot API over HTTP, for the real grammY client (or a service process):
 *
 *   const fake = await startTelegramFake();     // or createTelegramFake() + await fake.start()
 *   const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });   // or TELEGRAM_API_ROOT=fake.apiRoot
 *   ...
 *   await fake.stop();
 *
 * Speaks `POST|GET /bot<token>/<method>` (method names case-insensitive) with JSON, urlencoded or grammY's
 * multipart bodies, answering `{ok:true,result}` or `{ok:false,error_code,description,parameters?}` with the same
 * HTTP status, like Telegram. Polling and webhooks: telegram-updates.ts; validation: telegram-api.ts and
 * telegram-validation.ts; HTML parse_mode: telegram-html.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArrivalRates } from './arrival-rates.ts';
import { CancellableSleeps } from './cancellable-sleeps.ts';
import { InjectedFaults } from './injected-faults.ts';
import { LocalServer } from './local-server.ts';
import type { MultipartFile } from './multipart.ts';
import { TelegramApi } from './telegram-api.ts';
import {
  badRequest,
  TelegramApiError,
  type ApiCall,
  type ChatType,
  type Payload,
  type TgUpdate,
  type TgUser,
} from './telegram-types.ts';
import { readPayload } from './telegram-http.ts';
import { UpdateQueue } from './telegram-updates.ts';
import { Waiters } from './waiters.ts';

export { parseTelegramHtml } from './telegram-html.ts';
export type * from './telegram-types.ts';

export interface TelegramFakeOptions {
  /** Default `123456789:AAHfakeTelegramTokenForTests_0000000` (the bot id is the part before ':'). */
  token?: string;
  /** Default `hookwatch_test_bot`. */
  botUsername?: string;
  /** Also reject a bare `&` in HTML (fake-only; Telegram itself keeps it as text). Default false. */
  strictAmpersand?: boolean;
  /** Pause between webhook delivery retries, ms. Default 100. */
  webhookRetryMs?: number;
}

/** Methods subject to inject429(), setDelay() and the per-chat send counters. */
const SEND_METHODS = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup']);

type Handler = (payload: Payload, files: Record<string, MultipartFile>, res: ServerResponse) => unknown;

export class TelegramFake {
  readonly token: string;
  /** State and message methods: api.me, api.chats, api.messages, api.files, api.commands... */
  readonly api: TelegramApi;
  readonly updates: UpdateQueue;
  /** Every API call received, in arrival order; `status`/`response` are set once answered. */
  readonly calls: ApiCall[] = [];
  /** Bugs inside the fake itself (answered 500), so a test can assert there were none. */
  readonly internalErrors: unknown[] = [];
  private local: LocalServer | undefined;
  private running = false;
  private readonly faults = new InjectedFaults();
  private readonly sleeps = new CancellableSleeps();
  private readonly rates = new ArrivalRates<number>();
  private readonly waiters = new Waiters('TelegramFake');

  constructor(options: TelegramFakeOptions = {}) {
    this.token = options.token ?? '123456789:AAHfakeTelegramTokenForTests_0000000';
    this.api = new TelegramApi({
      token: this.token,
      botUsername: options.botUsername ?? 'hookwatch_test_bot',
      strictAmpersand: options.strictAmpersand ?? false,
    });
    this.updates = new UpdateQueue({
      sleep: (ms) => this.sleeps.sleep(ms),
      notify: () => this.waiters.notify(),
      isRunning: () => this.running,
      webhookRetryMs: options.webhookRetryMs ?? 100,
    });
  }

  /** `http://127.0.0.1:PORT`, no trailing slash (grammY rejects one). Valid after start(). */
  get apiRoot(): string {
    if (!this.local) throw new Error('TelegramFake: call start() first');
    return `http://127.0.0.1:${this.local.port}`;
  }

  async start(): Promise<void> {
    this.local = await LocalServer.listen((req, res) => void this.handle(req, res));
    this.running = true;
  }

  /** Answers a held getUpdates with `[]`, cancels delays and webhook retries, closes every connection. */
  async stop(): Promise<void> {
    this.running = false;
    this.updates.release();
    this.sleeps.cancelAll();
    const local = this.local;
    if (!local) return;
    await new Promise((resolve) => setImmediate(resolve)); // let the released poll's answer go out
    await local.close();
  }

  // ---- test-side controls -------------------------------------------------------------------------------------

  /** The next `count` send/edit calls answer 429 "Too Many Requests: retry after N". */
  inject429(count = 1, retryAfter = 1): void {
    this.faults.inject429(count, retryAfter);
  }

  /** The next `count` send/edit calls answer 400 "Bad Request: <reason>", as a message Telegram cannot parse. */
  injectBadRequest(count = 1, reason = "can't parse entities: Unsupported start tag \"x\" at byte offset 0"): void {
    this.faults.injectRefusal(count, reason);
  }

  /** Delays answers to send/edit methods by `ms` (0 = off). */
  setDelay(ms: number): void {
    this.faults.delayMs = ms;
  }

  /** Queues an update (assigning update_id) for getUpdates or the webhook. */
  pushUpdate(update: Omit<TgUpdate, 'update_id'>): TgUpdate {
    return this.updates.push(update);
  }

  /** A user writes `text` in `chatId`; a leading /command gets its bot_command entity. Returns the update. */
  sendUserMessage(chatId: number, text: string, opts: { chatType?: ChatType; from?: Partial<TgUser> } = {}): TgUpdate {
    const chat = opts.chatType ? this.api.register(chatId, opts.chatType) : this.api.chat(chatId);
    const command = /^\/\S+/.exec(text)?.[0];
    const message = this.api.store(chat, { ...this.api.userFor(chat), ...opts.from }, {
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    });
    return this.pushUpdate({ message: structuredClone(message) });
  }

  /** Telegram's upgrade of a group to a supergroup: a service message in each chat, old first, as Telegram sends them. */
  upgradeToSupergroup(groupId: number, supergroupId: number): void {
    const group = this.api.register(groupId, 'group');
    const supergroup = this.api.register(supergroupId, 'supergroup');
    const from = this.api.userFor(group);
    this.pushUpdate({ message: structuredClone(this.api.store(group, from, { migrate_to_chat_id: supergroupId })) });
    this.pushUpdate({ message: structuredClone(this.api.store(supergroup, from, { migrate_from_chat_id: groupId })) });
  }

  /**
   * A user presses the inline button carrying `data` under the bot's message `messageId`; returns the callback
   * query id. Throws if that message has no such button (real clients cannot send other data) unless `anyData`.
   */
  pressButton(
    chatId: number,
    messageId: number,
    data: string,
    opts: { from?: Partial<TgUser>; anyData?: boolean } = {},
  ): string {
    const message = this.api.message(chatId, messageId);
    const buttons = message?.reply_markup?.inline_keyboard.flat() ?? [];
    if (!opts.anyData && !buttons.some((b) => b.callback_data === data)) {
      throw new Error(`TelegramFake.pressButton: message ${chatId}:${messageId} has no button with data "${data}"`);
    }
    const chat = this.api.chat(chatId);
    const id = this.api.newCallbackQueryId(chatId, messageId, data);
    this.pushUpdate({
      callback_query: {
        id,
        from: { ...this.api.userFor(chat), ...opts.from },
        message: structuredClone(message ?? { message_id: messageId, date: 0, chat }),
        chat_instance: String(BigInt(chatId) * 7919n + 104729n),
        data,
      },
    });
    return id;
  }

  /** Messages and documents the bot sent successfully (optionally in one chat). */
  sent(chatId?: number) {
    return this.api.sent.filter((s) => chatId === undefined || s.chatId === chatId);
  }

  /** Successful edits, each with a snapshot of the message after it. */
  edits(chatId?: number) {
    return this.api.edits.filter((e) => chatId === undefined || e.chatId === chatId);
  }

  /** Successful answerCallbackQuery calls. */
  answers() {
    return this.api.answers;
  }

  /** The current state of a message (edits applied), the bot's or a user's. */
  message(chatId: number, messageId: number) {
    return this.api.message(chatId, messageId);
  }

  /** The default-scope, default-language command list (api.commands has the others). */
  get commands() {
    return this.api.getMyCommands({});
  }

  get webhook() {
    return this.updates.webhook;
  }

  /** Resolves with the first answered call of `method` matching `predicate` (past calls included). */
  waitForCall(method: string, predicate: (call: ApiCall) => boolean = () => true, timeoutMs = 5000): Promise<ApiCall> {
    const probe = () => this.calls.find((c) => c.method === method && c.status !== undefined && predicate(c));
    return this.waiters.until(probe, timeoutMs, `a ${method} call`);
  }

  /** Resolves once at least `count` messages/documents were sent (in `chatId`, if given). */
  waitForSent(count: number, chatId?: number, timeoutMs = 5000) {
    const probe = () => (this.sent(chatId).length >= count ? this.sent(chatId) : undefined);
    return this.waiters.until(probe, timeoutMs, `${count} sent message(s)`);
  }

  /** Arrival times (ms) of send/edit calls for a chat, including those answered 429 or 400. */
  sendTimesOf(chatId: number): number[] {
    return this.rates.timesOf(chatId);
  }

  /** The most send/edit calls `chatId` received within any `windowMs` (default 1 s). */
  callsPerSecond(chatId: number, windowMs = 1000): number {
    return this.rates.maxInWindow(chatId, windowMs);
  }

  /** callsPerSecond of the busiest chat. Telegram allows ~1/s per chat (bursts tolerated) and 20/min per group. */
  maxPerChatPerSecond(windowMs = 1000): number {
    return this.rates.maxOverKeys(windowMs);
  }

  /** The most send/edit calls within any `windowMs` (default 1 s) across all chats: Telegram's ~30/s limit. */
  maxPerSecondOverall(windowMs = 1000): number {
    return this.rates.maxInWindowOverall(windowMs);
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  private readonly handlers: Record<string, Handler> = {
    getMe: () => this.api.me,
    getUpdates: (p, _files, res) => this.updates.getUpdates(p, res),
    setWebhook: (p) => this.updates.setWebhook(p),
    deleteWebhook: (p) => this.updates.deleteWebhook(p),
    getWebhookInfo: () => this.updates.getWebhookInfo(),
    setMyCommands: (p) => this.api.setMyCommands(p),
    getMyCommands: (p) => this.api.getMyCommands(p),
    deleteMyCommands: (p) => this.api.deleteMyCommands(p),
    sendMessage: (p) => this.api.sendMessage(p),
    sendDocument: (p, files) => this.api.sendDocument(p, files),
    sendPhoto: (p, files) => this.api.sendPhoto(p, files),
    answerCallbackQuery: (p) => this.api.answerCallbackQuery(p),
    editMessageText: (p) => this.api.editMessageText(p),
    editMessageReplyMarkup: (p) => this.api.editMessageReplyMarkup(p),
  };
  private readonly methodNames = new Map(Object.keys(this.handlers).map((name) => [name.toLowerCase(), name]));

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const fail = (e: TelegramApiError) => {
      const parameters = e.parameters ? { parameters: e.parameters } : {};
      reply(e.errorCode, { ok: false, error_code: e.errorCode, description: e.description, ...parameters });
    };

    const url = new URL(req.url ?? '/', 'http://fake');
    const route = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (!route) return fail(new TelegramApiError(404, 'Not Found'));
    if (route[1] !== this.token) return fail(new TelegramApiError(401, 'Unauthorized'));
    const method = this.methodNames.get((route[2] ?? '').toLowerCase());
    if (!method) return fail(new TelegramApiError(404, 'Not Found: method not found'));

    let payload: Payload;
    let files: Record<string, MultipartFile>;
    try {
      ({ payload, files } = await readPayload(req, url));
    } catch (error) {
      if (error instanceof TelegramApiError) return fail(error);
      res.destroy(); // the client went away mid-body
      return;
    }

    const call: ApiCall = { method, payload, files, at: Date.now() };
    this.calls.push(call);
    let status = 200;
    let response: unknown;
    try {
      if (SEND_METHODS.has(method)) await this.throttle(payload);
      response = await (this.handlers[method] as Handler)(payload, files, res);
      reply(200, { ok: true, result: response });
    } catch (error) {
      if (!(error instanceof TelegramApiError)) this.internalErrors.push(error);
      const e = error instanceof TelegramApiError ? error : new TelegramApiError(500, 'Internal Server Error');
      fail(e);
      status = e.errorCode;
      response = { description: e.description, parameters: e.parameters };
    }
    call.status = status;
    call.response = response;
    this.waiters.notify();
  }

  /** Per-chat counting, then injected 429s and 400s, then the configured delay. */
  private async throttle(payload: Payload): Promise<void> {
    const chatId = payload.chat_id;
    if (typeof chatId === 'number' || (typeof chatId === 'string' && /^-?\d+$/.test(chatId))) {
      this.rates.record(Number(chatId));
    }
    const retryAfter = this.faults.take429();
    if (retryAfter !== undefined) {
      throw new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    const refusal = this.faults.takeRefusal();
    if (refusal !== undefined) throw badRequest(refusal);
    if (this.faults.delayMs > 0) await this.sleeps.sleep(this.faults.delayMs);
  }
}

/** Creates a fake; `await fake.start()` before using `apiRoot`, `await fake.stop()` after. */
export function createTelegramFake(options?: TelegramFakeOptions): TelegramFake {
  return new TelegramFake(options);
}

/** Creates and starts a fake. */
export async function startTelegramFake(options?: TelegramFakeOptions): Promise<TelegramFake> {
  const fake = new TelegramFake(options);
  await fake.start();
  return fake;
}
