/**
 * The REST routes of the Discord fake (paths after `/api/v10`): gateway discovery, users/applications, bulk
 * command registration, interaction callbacks, webhook follow-ups/edits of interaction responses, channel messages.
 * Authorization is checked by the caller (discord-fake.ts) except on `isPublicRoute` paths.
 */
import { randomBytes } from 'node:crypto';
import { botUser, defaultUser, textChannel, userObject, type World } from './discord-payloads.ts';
import { MessageStore } from './discord-messages.ts';
import { validateCallback, validateCommands } from './discord-validation.ts';
import type { ReadBody } from './discord-http.ts';
import {
  ERRORS, apiError, isObject, snowflake, type ApplicationCommand, type CallbackRecord, type FollowupRecord,
  type JsonObject, type SentMessage,
} from './discord-types.ts';

const EPHEMERAL = 1 << 6;
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export interface InteractionState {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  channelId: string;
  createdAt: number;
  user: JsonObject;
  callbackType?: number;
  originalId?: string;
  /** The message a component interaction came from. */
  sourceMessageId?: string;
}

export interface RestAnswer {
  status: number;
  body?: unknown;
}

export interface RestContext {
  world: World;
  gatewayUrl: () => string;
  identifies: () => number;
  /** Deadline for the initial response (Discord: 3 s). */
  interactionTimeoutMs: number;
}

type Handler = (m: string[], q: URLSearchParams, read: ReadBody) => RestAnswer;

/** Interaction callbacks and webhook routes are sent without `Authorization` (discord.js `auth: false`). */
export const isPublicRoute = (path: string) => /^\/(interactions|webhooks)\//.test(path);

export class DiscordRest {
  readonly messages: MessageStore;
  readonly callbacks: CallbackRecord[] = [];
  readonly followups: FollowupRecord[] = [];
  readonly globalCommands: ApplicationCommand[] = [];
  readonly guildCommands: ApplicationCommand[] = [];
  readonly interactions = new Map<string, InteractionState>();
  private readonly world: World;
  private readonly routes: Array<[string, RegExp, Handler]>;

  constructor(private readonly ctx: RestContext, baseUrl: () => string) {
    this.world = ctx.world;
    this.messages = new MessageStore(ctx.world, baseUrl);
    const app = '(\\d+)';
    const id = '(\\d+)';
    const token = '([^/]+)';
    this.routes = [
      ['GET', /^\/gateway\/bot$/, () => this.ok(this.gatewayBot())],
      ['GET', /^\/gateway$/, () => this.ok({ url: ctx.gatewayUrl() })],
      ['GET', /^\/users\/@me$/, () => this.ok({ ...botUser(this.world), verified: true, mfa_enabled: false, email: null })],
      ['GET', /^\/users\/(\d+)$/, (m) => this.ok(this.user(m[1]))],
      ['GET', /^\/applications\/@me$/, () => this.ok(this.application())],
      ['GET', new RegExp(`^/applications/${app}/commands$`), (m) => this.ok(this.commandList(m[1]))],
      ['PUT', new RegExp(`^/applications/${app}/commands$`), (m, _q, r) => this.ok(this.overwrite(m[1], undefined, r.body))],
      ['GET', new RegExp(`^/applications/${app}/guilds/${id}/commands$`), (m) => this.ok(this.commandList(m[1], m[2]))],
      ['PUT', new RegExp(`^/applications/${app}/guilds/${id}/commands$`), (m, _q, r) => this.ok(this.overwrite(m[1], m[2], r.body))],
      ['POST', new RegExp(`^/interactions/${id}/${token}/callback$`), (m, q, r) => this.callback(m[1], m[2], q, r)],
      ['POST', new RegExp(`^/webhooks/${app}/${token}$`), (m, q, r) => this.followup(m[1], m[2], q, r)],
      ['GET', new RegExp(`^/webhooks/${app}/${token}/messages/([^/]+)$`), (m) => this.ok(this.webhookMessage(m).message)],
      ['PATCH', new RegExp(`^/webhooks/${app}/${token}/messages/([^/]+)$`), (m, _q, r) => this.editWebhookMessage(m, r)],
      ['DELETE', new RegExp(`^/webhooks/${app}/${token}/messages/([^/]+)$`), (m) => this.deleteWebhookMessage(m)],
      ['GET', new RegExp(`^/channels/${id}$`), (m) => this.ok(this.channel(m[1]))],
      ['POST', new RegExp(`^/channels/${id}/messages$`), (m, _q, r) => this.ok(this.channelMessage(m[1], r).message)],
      ['POST', new RegExp(`^/channels/${id}/typing$`), (m) => (this.channel(m[1]), { status: 204 })],
      ['GET', new RegExp(`^/channels/${id}/messages/${id}$`), (m) => this.ok(this.storedIn(m[1], m[2]).message)],
    ];
  }

  /** Answers a request or throws DiscordApiError (404 for unknown routes, 405 for a wrong method). */
  handle(method: string, path: string, query: URLSearchParams, read: ReadBody): RestAnswer {
    let pathMatched = false;
    for (const [routeMethod, pattern, handler] of this.routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (routeMethod === method) return handler(match.map((s) => decodeURIComponent(s)), query, read);
    }
    throw pathMatched ? ERRORS.methodNotAllowed() : ERRORS.notFound();
  }

  private ok(body: unknown): RestAnswer {
    return { status: 200, body };
  }

  private gatewayBot(): JsonObject {
    return {
      url: this.ctx.gatewayUrl(), shards: 1,
      session_start_limit: { total: 1000, remaining: 1000 - this.ctx.identifies(), reset_after: 14_400_000, max_concurrency: 1 },
    };
  }

  private user(userId: string | undefined): JsonObject {
    if (userId === this.world.applicationId) return botUser(this.world);
    if (userId === this.world.ownerId) return userObject(defaultUser(this.world));
    throw apiError(404, 10013, 'Unknown User');
  }

  private application(): JsonObject {
    return {
      id: this.world.applicationId, name: 'hookwatch', icon: null, description: '', summary: '', type: null,
      bot_public: true, bot_require_code_grant: false, verify_key: randomBytes(32).toString('hex'), flags: 1 << 23,
      hook: true, is_monetized: false, team: null, owner: userObject(defaultUser(this.world)), bot: botUser(this.world),
      approximate_guild_count: 1, redirect_uris: [], interactions_endpoint_url: null, integration_types_config: { '0': {} },
    };
  }

  private checkApp(applicationId: string | undefined, guildId?: string): void {
    if (applicationId !== this.world.applicationId) throw ERRORS.missingAccess();
    if (guildId !== undefined && guildId !== this.world.guildId) throw ERRORS.unknownGuild();
  }

  private commandList(applicationId: string | undefined, guildId?: string): ApplicationCommand[] {
    this.checkApp(applicationId, guildId);
    return guildId === undefined ? this.globalCommands : this.guildCommands;
  }

  /** Bulk overwrite: validated; a command keeping its name and type keeps its id, like Discord. */
  private overwrite(applicationId: string | undefined, guildId: string | undefined, body: unknown): ApplicationCommand[] {
    const target = this.commandList(applicationId, guildId);
    const defs = validateCommands(body);
    const next = defs.map((def): ApplicationCommand => {
      const type = typeof def.type === 'number' ? def.type : 1;
      const name = String(def.name);
      const previous = target.find((c) => c.name === name && c.type === type);
      return {
        default_member_permissions: null, contexts: guildId ? null : [0, 1, 2], integration_types: [0], nsfw: false,
        ...def, id: previous?.id ?? snowflake(), application_id: this.world.applicationId, version: snowflake(),
        type, name, description: typeof def.description === 'string' ? def.description : '',
        ...(guildId ? { guild_id: guildId } : { dm_permission: true }),
      };
    });
    target.splice(0, target.length, ...next);
    return next;
  }

  private channel(channelId: string | undefined): JsonObject {
    if (channelId === undefined || !this.world.channelIds.includes(channelId)) throw ERRORS.unknownChannel();
    return textChannel(this.world, channelId, this.messages.lastIdIn(channelId));
  }

  private channelMessage(channelId: string | undefined, read: ReadBody): SentMessage {
    this.channel(channelId);
    return this.messages.create(String(channelId), this.payloadOf(read), read.files, { via: 'channel' });
  }

  private storedIn(channelId: string | undefined, messageId: string | undefined): SentMessage {
    this.channel(channelId);
    const sent = this.messages.get(String(messageId));
    if (!sent || sent.channelId !== channelId || (sent.flags & EPHEMERAL) !== 0) throw ERRORS.unknownMessage();
    return sent;
  }

  private payloadOf(read: ReadBody): JsonObject {
    return isObject(read.body) ? read.body : {};
  }

  private interactionExtra(state: InteractionState): JsonObject {
    return {
      webhook_id: this.world.applicationId, application_id: this.world.applicationId,
      interaction_metadata: {
        id: state.id, type: state.type, user: state.user, authorizing_integration_owners: { '0': this.world.guildId },
        ...(state.sourceMessageId ? { interacted_message_id: state.sourceMessageId } : {}),
      },
    };
  }

  private callback(id: string | undefined, token: string | undefined, query: URLSearchParams, read: ReadBody): RestAnswer {
    const state = this.interactions.get(String(id));
    if (!state || state.token !== token) throw ERRORS.unknownInteraction();
    if (state.callbackType !== undefined) throw ERRORS.alreadyAcknowledged();
    if (Date.now() - state.createdAt > this.ctx.interactionTimeoutMs) throw ERRORS.unknownInteraction();
    const body = this.payloadOf(read);
    validateCallback(body, state.type, read.files.length);
    const type = body.type as number;
    const data = isObject(body.data) ? body.data : undefined;
    const origin = { via: 'callback' as const, interactionId: state.id, extra: this.interactionExtra(state) };
    const source = state.sourceMessageId ? this.messages.get(state.sourceMessageId) : undefined;
    if (type === 4) state.originalId = this.messages.create(state.channelId, data ?? {}, read.files, origin).id;
    if (type === 5) {
      const flags = typeof data?.flags === 'number' ? data.flags : 0;
      state.originalId = this.messages.placeholder(state.channelId, flags, origin).id;
    }
    if ((type === 6 || type === 7) && source) state.originalId = source.id;
    if (type === 7 && source) this.messages.edit(source, data ?? {}, read.files);
    state.callbackType = type;
    this.callbacks.push({ interactionId: state.id, token: state.token, type, data, files: read.files, at: Date.now() });
    if (query.get('with_response') !== 'true') return { status: 204 };
    const original = state.originalId ? this.messages.get(state.originalId) : undefined;
    return this.ok({
      interaction: {
        id: state.id, type: state.type, response_message_id: original?.id ?? null,
        response_message_loading: type === 5, response_message_ephemeral: original ? (original.flags & EPHEMERAL) !== 0 : false,
      },
      resource: { type, ...(original && type !== 6 ? { message: original.message } : {}) },
    });
  }

  /** The interaction behind a webhook token (401 50027 after 15 min; 10015 before the initial response). */
  private byToken(applicationId: string | undefined, token: string | undefined): InteractionState {
    const state = [...this.interactions.values()].find((i) => i.token === token);
    if (applicationId !== this.world.applicationId || !state || state.callbackType === undefined) throw ERRORS.unknownWebhook();
    if (Date.now() - state.createdAt > TOKEN_LIFETIME_MS) throw apiError(401, 50027, 'Invalid Webhook Token');
    return state;
  }

  private followup(applicationId: string | undefined, token: string | undefined, query: URLSearchParams, read: ReadBody): RestAnswer {
    const state = this.byToken(applicationId, token);
    const payload = this.payloadOf(read);
    const original = state.originalId ? this.messages.get(state.originalId) : undefined;
    let sent: SentMessage;
    if (state.callbackType === 5 && original && (original.flags & (1 << 7)) !== 0) {
      // The first follow-up after deferReply replaces the "thinking…" message (its flags are ignored).
      const { flags: _ignored, ...rest } = payload;
      sent = this.messages.edit(original, rest, read.files);
    } else {
      sent = this.messages.create(state.channelId, payload, read.files,
        { via: 'followup', interactionId: state.id, extra: this.interactionExtra(state) });
    }
    this.followups.push({ token: state.token, interactionId: state.id, kind: 'followup', target: sent.id, payload,
      files: read.files, message: sent.message, at: Date.now() });
    return query.get('wait') === 'true' ? this.ok(sent.message) : { status: 204 };
  }

  private webhookMessage(m: string[]): SentMessage {
    const state = this.byToken(m[1], m[2]);
    const messageId = m[3] === '@original' ? state.originalId : m[3];
    const sent = messageId ? this.messages.get(messageId) : undefined;
    if (!sent || (sent.id !== state.originalId && sent.interactionId !== state.id)) throw ERRORS.unknownMessage();
    return sent;
  }

  private editWebhookMessage(m: string[], read: ReadBody): RestAnswer {
    const sent = this.webhookMessage(m);
    const payload = this.payloadOf(read);
    this.messages.edit(sent, payload, read.files);
    this.followups.push({ token: String(m[2]), interactionId: this.byToken(m[1], m[2]).id, kind: 'edit',
      target: String(m[3]), payload, files: read.files, message: sent.message, at: Date.now() });
    return this.ok(sent.message);
  }

  private deleteWebhookMessage(m: string[]): RestAnswer {
    const sent = this.webhookMessage(m);
    this.messages.all.splice(this.messages.all.indexOf(sent), 1);
    return { status: 204 };
  }
}
