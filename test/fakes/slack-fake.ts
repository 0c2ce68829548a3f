/**
 * A protocol-faithful fake of the Slack Web API, for the real @slack/bolt App / @slack/web-api WebClient:
 *
 *   const fake = await startSlackFake();
 *   const client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
 *   const app = new App({ ..., token: fake.token, clientOptions: { slackApiUrl: fake.apiUrl } });
 *   await fake.slashCommand('http://127.0.0.1:3000/slack/commands', { text: 'last' });   // signed, like Slack
 *   ...
 *   await fake.stop();
 *
 * Routes: `POST|GET /api/<method>` (urlencoded with JSON-string objects, as web-api sends; JSON and multipart
 * bodies too) answering HTTP 200 `{ok:true,...}` / `{ok:false,error}` (429 + Retry-After when rate limited);
 * `POST /upload/<file_id>` (files.uploadV2 step 2, multipart or raw bytes); `POST /response/<id>` (response_url).
 * Methods: slack-api.ts; Block Kit limits: slack-blocks.ts; mention detection: slack-mentions.ts; what Slack
 * sends to the service: slack-interactions.ts.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArrivalRates } from './arrival-rates.ts';
import { CancellableSleeps } from './cancellable-sleeps.ts';
import { InjectedFaults } from './injected-faults.ts';
import { LocalServer } from './local-server.ts';
import { SlackSocketMode, SOCKET_PATH } from './slack-socket-mode.ts';
import { SlackWebApi } from './slack-api.ts';
import { ResponseUrls, answerUpload, uploadedBytes } from './slack-hooks.ts';
import { parseParams, readBody, tokenOf } from './slack-http.ts';
import {
  blockActionsPayload, deliverForm, eventCallback, signedFetch, slashCommandForm,
  type ButtonPressOptions, type SigningOptions, type SlackDelivery, type SlashCommandOptions, type Workspace,
} from './slack-interactions.ts';
import { mentionsIn, type MessageLike } from './slack-mentions.ts';
import { SlackApiError, type SlackCall, type SlackResponsePost, type SlackSharedFile } from './slack-types.ts';
import { Waiters } from './waiters.ts';

export { mentionsIn } from './slack-mentions.ts';
export { slackSignatureHeaders } from './slack-interactions.ts';
export { validateBlocks, validateView } from './slack-blocks.ts';
export type * from './slack-types.ts';
export type { ButtonPressOptions, SigningOptions, SlackDelivery, SlashCommandOptions } from './slack-interactions.ts';

export interface SlackFakeOptions {
  /** Default `xoxb-0000000000-0000000000000-fakeSlackBotTokenForTests`. */
  botToken?: string;
  /** Default `f4ke5ec7e70123456789abcdef012345`. */
  signingSecret?: string;
  /** Default `T0FAKETEAM1`. */
  teamId?: string;
  /** Default `U0FAKEBOT01`. */
  botUserId?: string;
}

const FORM = 'application/x-www-form-urlencoded';

export class SlackFake {
  readonly token: string;
  readonly signingSecret: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId = 'B0FAKEBOT01';
  readonly appId = 'A0FAKEAPP01';
  /** Workspace state and method implementations (api.posts, api.uploads, api.issueTrigger...). */
  readonly api: SlackWebApi;
  /** Every Web API call, in arrival order; `status`/`response` are set once answered. */
  readonly calls: SlackCall[] = [];
  /** Bugs inside the fake itself (answered 500), so a test can assert there were none. */
  readonly internalErrors: unknown[] = [];
  private readonly workspace: Workspace;
  private readonly responseUrls = new ResponseUrls();
  private local: LocalServer | undefined;
  private readonly faults = new InjectedFaults();
  private eventSeq = 0;
  private readonly sleeps = new CancellableSleeps();
  private readonly rates = new ArrivalRates<string>();
  private readonly waiters = new Waiters('SlackFake');

  /** Socket Mode's app-level token (`xapp-…`), accepted by `apps.connections.open` only. */
  readonly appToken = 'xapp-1-A0FAKEAPP01-0000000000000-fakeSlackAppTokenForTests';
  private socketMode: SlackSocketMode | undefined;
  private failingOpens = 0;

  constructor(options: SlackFakeOptions = {}) {
    this.token = options.botToken ?? 'xoxb-0000000000-0000000000000-fakeSlackBotTokenForTests';
    this.signingSecret = options.signingSecret ?? 'f4ke5ec7e70123456789abcdef012345';
    this.teamId = options.teamId ?? 'T0FAKETEAM1';
    this.botUserId = options.botUserId ?? 'U0FAKEBOT01';
    this.workspace = { teamId: this.teamId, teamDomain: 'hookwatch-test', appId: this.appId, verificationToken: 'fakeVerificationToken000' };
    this.api = new SlackWebApi(
      { token: this.token, teamId: this.teamId, teamName: 'Hookwatch Test', teamDomain: 'hookwatch-test',
        botUserId: this.botUserId, botId: this.botId, botName: 'hookwatch', appId: this.appId },
      () => this.baseUrl,
    );
  }

  /** `http://127.0.0.1:PORT`. Valid after start(). */
  get baseUrl(): string {
    if (!this.local) throw new Error('SlackFake: call start() first');
    return `http://127.0.0.1:${this.local.port}`;
  }

  /** `http://127.0.0.1:PORT/api/` (trailing slash), for `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async start(): Promise<void> {
    const local = await LocalServer.listen((req, res) => void this.handle(req, res));
    this.local = local;
    this.socketMode = new SlackSocketMode(local.server, this.appId);
  }

  /** Socket Mode: what the connected app has acknowledged, and how many sockets are open. */
  get socket(): SlackSocketMode {
    if (!this.socketMode) throw new Error('SlackFake: call start() first');
    return this.socketMode;
  }

  /** A slash command over Socket Mode: resolves once the app acknowledged the envelope. */
  async socketSlashCommand(opts: SlashCommandOptions = {}): Promise<{ responseId: string; triggerId: string }> {
    const { responseUrl, responseId } = this.issueResponseUrl();
    const triggerId = this.issueTriggerId();
    await this.socket.send('slash_commands', slashCommandForm(this.workspace, opts, responseUrl, triggerId));
    return { responseId, triggerId };
  }

  async stop(): Promise<void> {
    this.sleeps.cancelAll();
    const local = this.local;
    if (!local) return;
    this.socketMode?.close();
    await local.close();
  }

  // ---- test-side controls and observations -----------------------------------------------------------------------

  /** The next `count` chat.postMessage calls answer HTTP 429, `Retry-After: N`, `{"ok":false,"error":"ratelimited"}`. */
  inject429(count = 1, retryAfterSeconds = 1): void {
    this.faults.inject429(count, retryAfterSeconds);
  }

  /** The next `count` `apps.connections.open` calls answer HTTP 500, as Slack does when it fails on its side. */
  failConnectionsOpen(count = 1): void {
    this.failingOpens += count;
  }

  /** Delays every Web API answer by `ms` (0 = off). */
  setDelay(ms: number): void {
    this.faults.delayMs = ms;
  }

  /** Successful chat.postMessage calls (in `channel`, if given). */
  posts(channel?: string) {
    return this.api.posts.filter((p) => channel === undefined || p.channel === channel);
  }

  ephemerals(channel?: string) {
    return this.api.ephemerals.filter((p) => channel === undefined || p.channel === channel);
  }

  updates(channel?: string) {
    return this.api.updates.filter((u) => channel === undefined || u.channel === channel);
  }

  /** Successful views.open calls. */
  views() {
    return this.api.views;
  }

  /** Files completed by files.completeUploadExternal, with their uploaded bytes. */
  files(): SlackSharedFile[] {
    return [...this.api.uploads.values()].filter((f): f is SlackSharedFile => f.completed && f.bytes !== undefined);
  }

  /** The stored message (edits applied) with Slack's generated block_ids. */
  message(channel: string, ts: string) {
    return this.api.message(channel, ts);
  }

  /** JSON bodies POSTed to response_urls (of one response id, if given). */
  responses(responseId?: string): SlackResponsePost[] {
    return this.responseUrls.posts.filter((r) => responseId === undefined || r.responseId === responseId);
  }

  /** A trigger_id views.open accepts for 3 s after the (simulated) user action `ageMs` ago. */
  issueTriggerId(ageMs = 0): string {
    return this.api.issueTrigger(ageMs);
  }

  /** A response_url on this fake; returns its id too. */
  issueResponseUrl(): { responseUrl: string; responseId: string } {
    return this.responseUrls.issue(this.baseUrl);
  }

  /** Mentions and links Slack would render specially in a message (see slack-mentions.ts); `[]` when safe. */
  mentionsIn(message: MessageLike): string[] {
    return mentionsIn(message);
  }

  /** Arrival times (ms) of chat.postMessage calls to `channel`, including those answered 429 or with an error. */
  postTimesOf(channel: string): number[] {
    return this.rates.timesOf(channel);
  }

  /** The most chat.postMessage calls any one channel received within `windowMs` (Slack allows ~1/s per channel). */
  maxPerChannelPerSecond(windowMs = 1000): number {
    return this.rates.maxOverKeys(windowMs);
  }

  /** Resolves with the first answered call of `method` matching `predicate` (past calls included). */
  waitForCall(method: string, predicate: (call: SlackCall) => boolean = () => true, timeoutMs = 5000): Promise<SlackCall> {
    const probe = () => this.calls.find((c) => c.method === method && c.status !== undefined && predicate(c));
    return this.waiters.until(probe, timeoutMs, `a ${method} call`);
  }

  /** Resolves once at least `count` messages were posted (in `channel`, if given). */
  waitForPosts(count: number, channel?: string, timeoutMs = 5000) {
    const probe = () => (this.posts(channel).length >= count ? this.posts(channel) : undefined);
    return this.waiters.until(probe, timeoutMs, `${count} chat.postMessage call(s)`);
  }

  /** Resolves once at least `count` response_url posts arrived. */
  waitForResponse(count = 1, timeoutMs = 5000) {
    const probe = () => (this.responseUrls.posts.length >= count ? this.responses() : undefined);
    return this.waiters.until(probe, timeoutMs, `${count} response_url post(s)`);
  }

  // ---- what Slack sends to the service ----------------------------------------------------------------------------

  /** POSTs `body` to the service signed like Slack (`X-Slack-Signature`, `X-Slack-Request-Timestamp`). */
  signedRequest(url: string, body: string, contentType = FORM, opts: SigningOptions = {}): Promise<Response> {
    return signedFetch(url, body, contentType, this.signingSecret, opts);
  }

  /** A user runs a slash command: the realistic signed form, with a fresh trigger_id and response_url. */
  async slashCommand(serviceUrl: string, opts: SlashCommandOptions = {}): Promise<SlackDelivery> {
    const { responseUrl, responseId } = this.issueResponseUrl();
    const triggerId = this.issueTriggerId();
    const form = slashCommandForm(this.workspace, opts, responseUrl, triggerId);
    const body = new URLSearchParams(form).toString();
    return deliverForm(serviceUrl, body, this.signingSecret, opts, { triggerId, responseUrl, responseId });
  }

  /** A user presses a button on a message: `payload=<block_actions JSON>`; block_id/value/text from the stored message. */
  async pressButton(serviceUrl: string, opts: ButtonPressOptions): Promise<SlackDelivery> {
    const { responseUrl, responseId } = this.issueResponseUrl();
    const triggerId = this.issueTriggerId();
    const message = this.message(opts.channelId, opts.messageTs);
    const payload = blockActionsPayload(this.workspace, opts, message, responseUrl, triggerId);
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return deliverForm(serviceUrl, body, this.signingSecret, opts, { triggerId, responseUrl, responseId });
  }

  /** An Events API `event_callback` (JSON) around `event`, signed. */
  sendEvent(serviceUrl: string, event: Record<string, unknown>, opts: SigningOptions = {}): Promise<Response> {
    const body = JSON.stringify(eventCallback(this.workspace, this.botUserId, event, ++this.eventSeq));
    return this.signedRequest(serviceUrl, body, 'application/json', opts);
  }

  // ---- HTTP -------------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.destroy(); // the client went away mid-body
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const [, route, id] = /^\/(api|upload|response)\/([^/]+)$/.exec(url.pathname) ?? [];
    try {
      if (route === 'api' && id) await this.handleApi(id, req, url, body, res);
      else if (route === 'upload' && id && req.method === 'POST') {
        const { bytes, as } = uploadedBytes(req.headers['content-type'] ?? '', body);
        answerUpload(res, this.api.receiveUpload(id, bytes, as), bytes.length);
      } else if (route === 'response' && id && req.method === 'POST') this.responseUrls.receive(id, body, res);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    } catch (error) {
      this.internalErrors.push(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('fake: internal error');
    }
    this.waiters.notify();
  }

  private async handleApi(method: string, req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) {
    const contentType = req.headers['content-type'] ?? '';
    const parsed = parseParams(url, contentType, body);
    const params = parsed === 'invalid_json' ? {} : parsed;
    const call: SlackCall = { method, params, token: tokenOf(req, params), contentType, at: Date.now() };
    this.calls.push(call);
    const answer = (status: number, json: Record<string, unknown>, headers: Record<string, string> = {}) => {
      call.status = status;
      call.response = json;
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(json));
    };
    try {
      if (method === 'apps.connections.open') {
        if (call.token !== this.appToken) throw new SlackApiError(call.token === undefined ? 'not_authed' : 'invalid_auth');
        if (this.failingOpens > 0) {
          this.failingOpens--;
          return answer(500, { ok: false, error: 'internal_error' });
        }
        return answer(200, { ok: true, url: `ws://127.0.0.1:${this.local?.port ?? 0}${SOCKET_PATH}?ticket=${randomUUID()}` });
      }
      const handler = this.api.methods[method];
      if (!handler) throw new SlackApiError('unknown_method');
      if (parsed === 'invalid_json') throw new SlackApiError('invalid_json');
      if (call.token === undefined) throw new SlackApiError('not_authed');
      if (call.token !== this.token) throw new SlackApiError('invalid_auth');
      if (method === 'chat.postMessage') {
        this.rates.record(String(params.channel ?? ''), call.at);
        const retryAfter = this.faults.take429();
        if (retryAfter !== undefined) {
          return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
        }
      }
      if (this.faults.delayMs > 0) await this.sleeps.sleep(this.faults.delayMs);
      answer(200, { ok: true, ...handler(params) }, { 'x-oauth-scopes': 'chat:write,commands,files:write' });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      const extra = error.code === 'unknown_method' ? { req_method: method } : {};
      answer(error.status, { ...error.body(), ...extra });
    }
  }
}

/** Creates and starts a fake; `await fake.stop()` after. */
export async function startSlackFake(options?: SlackFakeOptions): Promise<SlackFake> {
  const fake = new SlackFake(options);
  await fake.start();
  return fake;
}
