/**
 * The HTTP side of the Discord fake: `/api/v10/...` requests (auth, injected 429s, delays, recording) handed to
 * DiscordRest, answered with Discord's JSON; `GET /attachments/...` serves uploaded bytes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArrivalRates } from './arrival-rates.ts';
import { CancellableSleeps } from './cancellable-sleeps.ts';
import { readBody, type ReadBody } from './discord-http.ts';
import { isPublicRoute, type DiscordRest, type RestAnswer } from './discord-rest.ts';
import { DiscordApiError, ERRORS, type DiscordCall } from './discord-types.ts';
import { InjectedFaults } from './injected-faults.ts';

const MESSAGE_POST = /^\/channels\/(\d+)\/messages$/;

export class DiscordHttp {
  /** Every REST request, in arrival order; `status`/`response` are set once answered. */
  readonly calls: DiscordCall[] = [];
  /** Bugs inside the fake itself (answered 500). */
  readonly internalErrors: unknown[] = [];
  readonly rates = new ArrivalRates<string>();
  readonly faults = new InjectedFaults();
  private readonly sleeps = new CancellableSleeps();

  constructor(private readonly token: string, private readonly rest: DiscordRest, private readonly notify: () => void) {}

  cancelTimers(): void {
    this.sleeps.cancelAll();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.writableEnded || res.destroyed) return;
      if (status === 204) res.writeHead(204, headers).end(); // never a JSON content-type on 204 (discord.js parses it)
      else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const file = method === 'GET' ? this.rest.messages.attachment(url.pathname) : undefined;
    if (file) return void res.writeHead(200, { 'content-type': file.contentType }).end(file.bytes);
    const route = /^\/api\/v10(\/.*)$/.exec(url.pathname);
    if (!route?.[1]) return answer(404, ERRORS.notFound().body);
    const path = route[1];
    let read: ReadBody;
    try {
      read = await readBody(req);
    } catch (error) {
      if (error instanceof DiscordApiError) return answer(error.status, error.body);
      return void res.destroy();
    }
    const call: DiscordCall = { method, path, query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization, body: read.body, files: read.files, at: Date.now() };
    this.calls.push(call);
    const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
      call.status = status;
      call.response = body;
      answer(status, body, headers);
      this.notify();
    };
    try {
      if (!isPublicRoute(path) && req.headers.authorization !== `Bot ${this.token}`) throw ERRORS.unauthorized();
      const channelPost = method === 'POST' ? MESSAGE_POST.exec(path)?.[1] : undefined;
      if (channelPost) this.throttle(channelPost, call.at);
      const { delayMs } = this.faults;
      if (delayMs > 0 && (channelPost || (method !== 'GET' && isPublicRoute(path)))) await this.sleeps.sleep(delayMs);
      if (read.uploadBytes > 10 * 1024 * 1024) throw ERRORS.tooLarge();
      const result: RestAnswer = this.rest.handle(method, path, url.searchParams, read);
      finish(result.status, result.body, channelPost ? this.bucketHeaders(4, 5) : {});
    } catch (error) {
      if (error instanceof DiscordApiError) return finish(error.status, error.body, error.headers);
      this.internalErrors.push(error);
      finish(500, { message: '500: Internal Server Error', code: 0 });
    }
  }

  /** Per-channel counting, then an injected 429 if one is pending. */
  private throttle(channelId: string, at: number): void {
    this.rates.record(channelId, at);
    const retryAfter = this.faults.take429();
    if (retryAfter === undefined) return;
    throw new DiscordApiError(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      { 'retry-after': String(retryAfter), ...this.bucketHeaders(0, retryAfter), 'x-ratelimit-scope': 'user' });
  }

  /** The channel-message bucket (5 per 5 s). Successes always report 4 remaining so discord.js never waits. */
  private bucketHeaders(remaining: number, resetAfter: number): Record<string, string> {
    return {
      'x-ratelimit-limit': '5', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset-after': String(resetAfter),
      'x-ratelimit-reset': String((Date.now() / 1000 + resetAfter).toFixed(3)),
      'x-ratelimit-bucket': 'f4ke0c4a77e1me55a6e5b0c4e7000001', // per route; the channel is the major parameter
    };
  }
}
