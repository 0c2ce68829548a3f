/**
 * Objects the Discord fake sends: users, the guild, READY / GUILD_CREATE, and INTERACTION_CREATE payloads with
 * every field discord.js 14.28 dereferences (`entitlements`, `authorizing_integration_owners`, `member.user`...).
 */
import { randomBytes } from 'node:crypto';
import { isObject, snowflake, type ApplicationCommand, type FakeUser, type JsonObject } from './discord-types.ts';

/** VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY, ADD_REACTIONS, USE_APPLICATION_COMMANDS... */
export const MEMBER_PERMISSIONS = (
  (1n << 0n) | (1n << 6n) | (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 18n) | (1n << 31n)
).toString();
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface World {
  applicationId: string;
  guildId: string;
  /** The default channel: interactions come from it unless told otherwise. */
  channelId: string;
  /** Every text channel of the guild, `channelId` first. */
  channelIds: string[];
  ownerId: string;
  joinedAt: string;
}

export function userObject(user: FakeUser, bot = false): JsonObject {
  return {
    id: user.id, username: user.username, global_name: user.global_name ?? null, discriminator: '0', avatar: null,
    public_flags: 0, flags: 0, banner: null, accent_color: null, avatar_decoration_data: null, collectibles: null,
    primary_guild: null, ...(bot ? { bot: true } : {}),
  };
}

/** The bot's own user: for bots the user id equals the application id. */
export const botUser = (w: World) => userObject({ id: w.applicationId, username: 'hookwatch', global_name: null }, true);

export const defaultUser = (w: World): FakeUser => ({ id: w.ownerId, username: 'alice', global_name: 'Alice' });

/** Channel `channelId` of the guild: `#alerts` first, then `#alerts-2`, `#alerts-3`… in the order of `w.channelIds`. */
export function textChannel(w: World, channelId: string, lastMessageId: string | null, withGuildId = true): JsonObject {
  const position = Math.max(0, w.channelIds.indexOf(channelId)); // an id outside the guild (a test's stranger) looks like #alerts
  return {
    id: channelId, type: 0, ...(withGuildId ? { guild_id: w.guildId } : {}),
    name: position === 0 ? 'alerts' : `alerts-${position + 1}`, position,
    permission_overwrites: [], parent_id: null, topic: null, nsfw: false, last_message_id: lastMessageId,
    rate_limit_per_user: 0, flags: 0, icon_emoji: null, theme_color: null,
  };
}

function member(user: JsonObject, w: World): JsonObject {
  return {
    user, roles: [], nick: null, avatar: null, banner: null, premium_since: null, joined_at: w.joinedAt, deaf: false,
    mute: false, pending: false, flags: 0, communication_disabled_until: null, unusual_dm_activity_until: null,
  };
}

export function readyPayload(w: World, sessionId: string, resumeUrl: string): JsonObject {
  return {
    v: 10, user_settings: {}, user: { ...botUser(w), verified: true, mfa_enabled: false, email: null },
    guilds: [{ id: w.guildId, unavailable: true }], guild_join_requests: [], relationships: [], private_channels: [],
    presences: [], session_id: sessionId, session_type: 'normal', resume_gateway_url: resumeUrl, shard: [0, 1],
    application: { id: w.applicationId, flags: 1 << 23 }, geo_ordered_rtc_regions: ['rotterdam'], auth: {},
    _trace: ['["gateway-prd-fake-0",{"micros":0}]'],
  };
}

export function guildCreatePayload(w: World, lastMessageId: (channelId: string) => string | null): JsonObject {
  const everyone = {
    id: w.guildId, name: '@everyone', permissions: MEMBER_PERMISSIONS, position: 0, color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, managed: false,
    mentionable: false, icon: null, unicode_emoji: null, flags: 0, description: null,
  };
  return {
    id: w.guildId, name: 'Hookwatch Test', icon: null, splash: null, discovery_splash: null, banner: null,
    description: null, owner_id: w.ownerId, afk_channel_id: null, afk_timeout: 300, verification_level: 0,
    default_message_notifications: 0, explicit_content_filter: 0, mfa_level: 0, nsfw_level: 0, premium_tier: 0,
    premium_subscription_count: 0, premium_progress_bar_enabled: false, preferred_locale: 'en-US',
    application_id: null, system_channel_id: w.channelId, system_channel_flags: 0, rules_channel_id: null,
    public_updates_channel_id: null, safety_alerts_channel_id: null, vanity_url_code: null, features: [],
    max_members: 500000, max_video_channel_users: 25, max_stage_video_channel_users: 50, roles: [everyone],
    emojis: [], stickers: [], joined_at: w.joinedAt, large: false, unavailable: false, member_count: 2, lazy: true,
    members: [member(botUser(w), w)], threads: [],
    channels: w.channelIds.map((id) => textChannel(w, id, lastMessageId(id), false)),
    voice_states: [], presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
  };
}

export interface InteractionUserOptions {
  /** Where the user acts: default the fake's `channelId`; any id, even one outside the guild (as a stranger's). */
  channelId?: string;
  userId?: string;
  username?: string;
}

/** The fields every guild interaction carries; `data` and `message` are added by the caller. */
export function interactionBase(w: World, type: number, opts: InteractionUserOptions, lastMessageId: string | null) {
  const id = snowflake();
  const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('hex')}`).toString('base64url');
  const user = userObject({
    ...defaultUser(w),
    ...(opts.userId ? { id: opts.userId } : {}),
    ...(opts.username ? { username: opts.username, global_name: opts.username } : {}),
  });
  const channelId = opts.channelId ?? w.channelId;
  const channel = { ...textChannel(w, channelId, lastMessageId), permissions: MEMBER_PERMISSIONS };
  const payload: JsonObject = {
    id, application_id: w.applicationId, type, token, version: 1,
    guild: { id: w.guildId, locale: 'en-US', features: [] }, guild_id: w.guildId, guild_locale: 'en-US',
    channel, channel_id: channelId, member: { ...member(user, w), permissions: MEMBER_PERMISSIONS },
    locale: 'en-US', app_permissions: MEMBER_PERMISSIONS, entitlements: [],
    authorizing_integration_owners: { '0': w.guildId }, context: 0, attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  return { id, token, payload };
}

export interface CommandInvocation {
  /** Top-level command name, e.g. `hook`. */
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, string | number | boolean>;
}

const optionsOf = (o: JsonObject | undefined): JsonObject[] =>
  (Array.isArray(o?.options) ? o.options : []).filter(isObject);

function optionValue(type: number, name: string, value: string | number | boolean, focused: boolean) {
  if (focused) return String(value); // autocomplete sends what the user typed so far
  if (type === 4 && !Number.isInteger(value)) throw new Error(`DiscordFake: option "${name}" needs an integer`);
  if (type === 10 && typeof value !== 'number') throw new Error(`DiscordFake: option "${name}" needs a number`);
  if (type === 5 && typeof value !== 'boolean') throw new Error(`DiscordFake: option "${name}" needs a boolean`);
  return type === 3 || type >= 6 && type <= 9 || type === 11 ? String(value) : value;
}

/**
 * `data` of an APPLICATION_COMMAND / AUTOCOMPLETE interaction. With a registered `command` the option types come
 * from its definition and unknown or missing required options throw (a real client cannot send them).
 */
export function commandData(command: ApplicationCommand | undefined, inv: CommandInvocation, focused?: string): JsonObject {
  let level: JsonObject | undefined = command;
  const path: string[] = [];
  for (const [kind, sub] of [[2, inv.subcommandGroup], [1, inv.subcommand]] as const) {
    if (sub === undefined) continue;
    const next = optionsOf(level).find((o) => o.name === sub && o.type === kind);
    if (command && !next) throw new Error(`DiscordFake: /${inv.name} has no ${kind === 2 ? 'group' : 'subcommand'} "${sub}"`);
    level = next;
    path.push(sub);
  }
  if (command && optionsOf(level).some((o) => o.type === 1 || o.type === 2)) {
    throw new Error(`DiscordFake: /${[inv.name, ...path].join(' ')} needs a subcommand`);
  }
  const defs = optionsOf(level);
  const leaf = Object.entries(inv.options ?? {}).map(([name, value]) => {
    const def = defs.find((o) => o.name === name);
    if (command && !def) throw new Error(`DiscordFake: /${[inv.name, ...path].join(' ')} has no option "${name}"`);
    const inferred = typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3;
    const type = typeof def?.type === 'number' ? def.type : inferred;
    return { type, name, value: optionValue(type, name, value, name === focused), ...(name === focused ? { focused: true } : {}) };
  });
  for (const def of defs) {
    if (focused === undefined && def.required === true && !(String(def.name) in (inv.options ?? {}))) {
      throw new Error(`DiscordFake: /${[inv.name, ...path].join(' ')} is missing required option "${String(def.name)}"`);
    }
  }
  let options: JsonObject[] = leaf;
  if (inv.subcommand !== undefined) options = [{ type: 1, name: inv.subcommand, options }];
  if (inv.subcommandGroup !== undefined) options = [{ type: 2, name: inv.subcommandGroup, options }];
  return {
    id: command?.id ?? snowflake(), name: inv.name, type: 1, options,
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
  };
}

/** The custom_ids of the buttons/selects of a stored message (classic action rows). */
export function customIdsOf(message: JsonObject): Array<{ customId: string; type: number }> {
  return optionsOfComponents(message.components).flatMap((row) =>
    optionsOfComponents(row.components).flatMap((c) =>
      typeof c.custom_id === 'string' ? [{ customId: c.custom_id, type: typeof c.type === 'number' ? c.type : 2 }] : []));
}

const optionsOfComponents = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
