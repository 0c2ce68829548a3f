/**
 * A protocol-faithful fake of Discord (REST v10 + gateway websocket) for the REAL discord.js 14 Client:
 *
 *   const fake = await startDiscordFake();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl, retries: 1 },
 *                               allowedMentions: { parse: [], repliedUser: false } });
 *   await client.login(fake.token);                      // GET /gateway/bot → ws://…/gateway → READY + GUILD_CREATE
 *   const { interactionId } = fake.slashCommand({ name: 'hook', subcommand: 'last', options: { count: 3 } });
 *   const callback = await fake.waitForCallback(interactionId);
 *   ...
 *   await client.destroy(); await fake.stop();
 *
 * One guild, its text channels `#alerts` (`channelId`) and any `extraChannelIds`.
 * REST errors use Discord's shapes (`{message, code, errors?}`); routes: discord-rest.ts; limits:
 * discord-validation.ts; stored messages: discord-messages.ts; gateway: discord-gateway.ts.
 */
import { DiscordGateway, type GatewayFrame } from './discord-gateway.ts';
import {
  InteractionSender, type ButtonPressOptions, type DispatchedInteraction, type SlashCommandOptions,
} from './discord-interactions.ts';
import { wouldPing } from './discord-messages.ts';
import type { World } from './discord-payloads.ts';
import { DiscordRest } from './discord-rest.ts';
import { DiscordHttp } from './discord-server.ts';
import type {
  ApplicationCommand, CallbackRecord, DiscordCall, FollowupRecord, JsonObject, SentMessage,
} from './discord-types.ts';
import { LocalServer } from './local-server.ts';
import { Waiters } from './waiters.ts';

export type * from './discord-types.ts';
export type { GatewayFrame } from './discord-gateway.ts';
export type { ButtonPressOptions, DispatchedInteraction, SlashCommandOptions } from './discord-interactions.ts';
export { LIMITS } from './discord-validation.ts';

export interface DiscordFakeOptions {
  /** Bot token; default derived from the application id (`<base64 id>.GFakeT.…`). */
  token?: string;
  /** Application id = the bot's user id. Default `1300000000000000001`. */
  applicationId?: string;
  /** The one guild the bot is in. Default `1300000000000000002`. */
  guildId?: string;
  /** Its text channel `#alerts`, where interactions come from by default. Default `1300000000000000003`. */
  channelId?: string;
  /** More text channels in the guild, after `#alerts`: `#alerts-2`, `#alerts-3`… Default none. */
  extraChannelIds?: string[];
  /** Deadline of the initial interaction response; later callbacks get 404 10062. Default 3000 (Discord's). */
  interactionTimeoutMs?: number;
  /** HELLO heartbeat_interval. Default 41250 (Discord's); every heartbeat is ACKed anyway. */
  heartbeatIntervalMs?: number;
}

type CallMatcher = string | RegExp | ((call: DiscordCall) => boolean);

export class DiscordFake {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  /** Every text channel of the guild: `channelId`, then the extra ones. */
  readonly channelIds: string[];
  /** Every REST request, in arrival order; `status`/`response` are set once answered. */
  readonly calls: DiscordCall[];
  /** Bugs inside the fake itself (answered 500), so a test can assert there were none. */
  readonly internalErrors: unknown[];
  /** REST state: rest.messages, rest.interactions, rest.callbacks... */
  readonly rest: DiscordRest;
  private readonly world: World;
  private readonly heartbeatIntervalMs: number;
  private local: LocalServer | undefined;
  private gateway: DiscordGateway | undefined;
  private readonly http: DiscordHttp;
  private readonly interactions: InteractionSender;
  private readonly waiters = new Waiters('DiscordFake', { pollMs: 20, rejectProbeErrors: true });

  constructor(options: DiscordFakeOptions = {}) {
    this.applicationId = options.applicationId ?? '1300000000000000001';
    this.guildId = options.guildId ?? '1300000000000000002';
    this.channelId = options.channelId ?? '1300000000000000003';
    this.channelIds = [this.channelId, ...(options.extraChannelIds ?? [])];
    if (new Set(this.channelIds).size !== this.channelIds.length) throw new Error('DiscordFake: channel ids must differ');
    const idPart = Buffer.from(this.applicationId).toString('base64').replace(/=+$/, '');
    this.token = options.token ?? `${idPart}.GFakeT.fakeDiscordBotTokenForTests_000000000000`;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.world = {
      applicationId: this.applicationId, guildId: this.guildId, channelId: this.channelId, channelIds: this.channelIds,
      ownerId: '1300000000000000004', joinedAt: '2025-01-01T00:00:00.000000+00:00',
    };
    this.rest = new DiscordRest(
      { world: this.world, gatewayUrl: () => this.gatewayUrl, identifies: () => this.identifies,
        interactionTimeoutMs: options.interactionTimeoutMs ?? 3000 },
      () => this.baseUrl,
    );
    this.http = new DiscordHttp(this.token, this.rest, () => this.waiters.notify());
    this.interactions = new InteractionSender(this.world, this.rest, () => this.requireGateway());
    this.calls = this.http.calls;
    this.internalErrors = this.http.internalErrors;
  }

  /** `http://127.0.0.1:PORT`. Valid after start(). */
  get baseUrl(): string {
    if (!this.local) throw new Error('DiscordFake: call start() first');
    return `http://127.0.0.1:${this.local.port}`;
  }

  /** `http://127.0.0.1:PORT/api`, for `new Client({ rest: { api } })` (the client appends `/v10/...`). */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  /** `ws://127.0.0.1:PORT/gateway`, as returned by GET /gateway/bot and as `resume_gateway_url`. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.local?.port ?? 0}/gateway`;
  }

  async start(): Promise<void> {
    const local = await LocalServer.listen((req, res) => void this.http.handle(req, res));
    this.local = local;
    this.gateway = new DiscordGateway(local.server, {
      token: this.token, world: this.world, url: () => this.gatewayUrl, notify: () => this.waiters.notify(),
      lastMessageId: (channelId) => this.rest.messages.lastIdIn(channelId), heartbeatIntervalMs: this.heartbeatIntervalMs,
    });
  }

  /** Closes the gateway sockets and every HTTP connection, cancels delays. */
  async stop(): Promise<void> {
    this.http.cancelTimers();
    await this.gateway?.close();
    await this.local?.close();
  }

  // ---- test-side controls -----------------------------------------------------------------------------------------

  /** The next `count` channel message POSTs answer 429 with `Retry-After`, `X-RateLimit-*` and `retry_after`. */
  inject429(count = 1, retryAfterSeconds = 1): void {
    this.http.faults.inject429(count, retryAfterSeconds);
  }

  /** Delays answers to message-creating/editing requests (channel messages, callbacks, webhooks) by `ms`. */
  setDelay(ms: number): void {
    this.http.faults.delayMs = ms;
  }

  /** Closes the client's gateway socket with `code` (4000 = resumable); `invalidate` makes the RESUME fail (op 9). */
  dropGateway(code = 4000, options: { invalidate?: boolean } = {}): number {
    return this.requireGateway().drop(code, options.invalidate ?? false);
  }

  /** IDENTIFY / RESUME / HEARTBEAT payloads received over the gateway. */
  get identifies(): number {
    return this.gateway?.count(2) ?? 0;
  }

  get resumes(): number {
    return this.gateway?.count(6) ?? 0;
  }

  get heartbeats(): number {
    return this.gateway?.count(1) ?? 0;
  }

  /** Gateway traffic: payloads received from clients (op, d) and dispatches sent (t, s, replay). */
  get gatewayLog(): { received: GatewayFrame[]; sent: Array<{ t: string; s: number; replay: boolean }> } {
    return { received: this.gateway?.received ?? [], sent: this.gateway?.sent ?? [] };
  }

  /** Whether a client holds an identified (or resumed) gateway connection now. */
  get gatewayConnected(): boolean {
    return this.openSessions > 0;
  }

  /** How many clients hold an identified (or resumed) gateway connection now. */
  get openSessions(): number {
    return this.gateway?.openSessions ?? 0;
  }

  /** Sends any dispatch (`t`, `d`) on the current session; returns its sequence number. */
  dispatch(t: string, d: JsonObject): number {
    return this.requireGateway().dispatch(t, d);
  }

  /** A user runs `/name [group] [subcommand] options…`: INTERACTION_CREATE type 2, like Discord builds it. */
  slashCommand(opts: SlashCommandOptions): DispatchedInteraction {
    return this.interactions.slashCommand(opts);
  }

  /** A user types in option `focused`: INTERACTION_CREATE type 4 (APPLICATION_COMMAND_AUTOCOMPLETE). */
  autocomplete(opts: SlashCommandOptions & { focused: string }): DispatchedInteraction {
    return this.interactions.autocomplete(opts);
  }

  /** A user presses a button (or picks `values` in a select) on a stored bot message: INTERACTION_CREATE type 3. */
  pressButton(opts: ButtonPressOptions): DispatchedInteraction {
    return this.interactions.pressButton(opts);
  }

  // ---- observations -----------------------------------------------------------------------------------------------

  /** Initial interaction responses (type + data), of one interaction if given. */
  callbacks(interactionId?: string): CallbackRecord[] {
    return this.rest.callbacks.filter((c) => interactionId === undefined || c.interactionId === interactionId);
  }

  /** Webhook follow-ups (POST) and edits (PATCH …/messages/{id|@original}), of one interaction token if given. */
  followups(token?: string): FollowupRecord[] {
    return this.rest.followups.filter((f) => token === undefined || f.token === token);
  }

  /** Messages sent with POST /channels/{id}/messages (in `channelId`, if given), edits applied. */
  messages(channelId?: string): SentMessage[] {
    return this.rest.messages.all.filter((m) => m.via === 'channel' && (channelId === undefined || m.channelId === channelId));
  }

  /** Messages created by interaction responses and follow-ups (of one interaction, if given). */
  replies(interactionId?: string): SentMessage[] {
    return this.rest.messages.all.filter((m) => m.via !== 'channel' && (interactionId === undefined || m.interactionId === interactionId));
  }

  /** Any stored bot message by id. */
  message(id: string): SentMessage | undefined {
    return this.rest.messages.get(id);
  }

  /** Registered application commands: global and for the fake's guild (bulk overwrites applied). */
  get commands(): { global: ApplicationCommand[]; guild: ApplicationCommand[] } {
    return { global: this.rest.globalCommands, guild: this.rest.guildCommands };
  }

  /**
   * Whether a message (SentMessage, callback data, payload) could ping anyone: its content has @everyone, @here,
   * <@id> or <@&id> AND allowed_mentions is missing or has a non-empty parse/users/roles.
   */
  wouldPing(message: { content?: unknown; allowed_mentions?: unknown } | undefined): boolean {
    return wouldPing(message);
  }

  /** Arrival times (ms) of message POSTs to `channelId`, including those answered 429 or 400. */
  postTimesOf(channelId: string): number[] {
    return this.http.rates.timesOf(channelId);
  }

  /** The most message POSTs any one channel received within `windowMs` (Discord allows 5 per 5 s per channel). */
  maxPerChannelPerWindow(windowMs = 1000): number {
    return this.http.rates.maxOverKeys(windowMs);
  }

  /** Resolves with the probe's first non-undefined value, re-checked on every request and gateway frame. */
  waitFor<T>(probe: () => T | undefined, timeoutMs = 5000, what = 'a condition'): Promise<T> {
    return this.waiters.until(probe, timeoutMs, what);
  }

  /** Resolves with the initial response to `interactionId`. */
  waitForCallback(interactionId: string, timeoutMs = 5000): Promise<CallbackRecord> {
    return this.waitFor(() => this.callbacks(interactionId)[0], timeoutMs, `the callback of interaction ${interactionId}`);
  }

  /** Resolves once at least `count` follow-ups/edits arrived (for `token`, if given). */
  waitForFollowups(count: number, token?: string, timeoutMs = 5000): Promise<FollowupRecord[]> {
    return this.waitFor(() => (this.followups(token).length >= count ? this.followups(token) : undefined), timeoutMs,
      `${count} follow-up(s)`);
  }

  /** Resolves once at least `count` channel messages were stored (in `channelId`, if given). */
  waitForMessages(count: number, channelId?: string, timeoutMs = 5000): Promise<SentMessage[]> {
    return this.waitFor(() => (this.messages(channelId).length >= count ? this.messages(channelId) : undefined), timeoutMs,
      `${count} channel message(s)`);
  }

  /** The first answered call matching `"METHOD /path"` exactly, a RegExp on that string, or a predicate. */
  waitForCall(matcher: CallMatcher, timeoutMs = 5000): Promise<DiscordCall> {
    const matches = (c: DiscordCall) => {
      const line = `${c.method} ${c.path}`;
      return typeof matcher === 'string' ? line === matcher : matcher instanceof RegExp ? matcher.test(line) : matcher(c);
    };
    return this.waitFor(() => this.calls.find((c) => c.status !== undefined && matches(c)), timeoutMs, `a call ${String(matcher)}`);
  }

  // ---- internals --------------------------------------------------------------------------------------------------

  private requireGateway(): DiscordGateway {
    if (!this.gateway) throw new Error('DiscordFake: call start() first');
    return this.gateway;
  }
}

/** Creates and starts a fake; `await fake.stop()` after. */
export async function startDiscordFake(options?: DiscordFakeOptions): Promise<DiscordFake> {
  const fake = new DiscordFake(options);
  await fake.start();
  return fake;
}
