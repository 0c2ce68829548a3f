/** Shared types, Discord's error shapes and snowflakes for the Discord fake. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An error answered with Discord's JSON shape `{message, code, errors?}` and an HTTP status. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${String(body.message)}`);
  }
}

export const apiError = (status: number, code: number, message: string) =>
  new DiscordApiError(status, { message, code });

export const ERRORS = {
  unauthorized: () => apiError(401, 0, '401: Unauthorized'),
  notFound: () => apiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => apiError(405, 0, '405: Method Not Allowed'),
  missingAccess: () => apiError(403, 50001, 'Missing Access'),
  unknownChannel: () => apiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => apiError(404, 10004, 'Unknown Guild'),
  unknownMessage: () => apiError(404, 10008, 'Unknown Message'),
  unknownWebhook: () => apiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => apiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => apiError(400, 40060, 'Interaction has already been acknowledged.'),
  emptyMessage: () => apiError(400, 50006, 'Cannot send an empty message'),
  tooLarge: () => apiError(413, 40005, 'Request entity too large'),
  invalidJson: () => apiError(400, 50109, 'The request body contains invalid JSON.'),
};

/** Collects field errors into Discord's nested `errors` object: `{content: {_errors: [{code, message}]}}`. */
export class FormErrors {
  readonly errors: JsonObject = {};
  count = 0;

  add(path: Array<string | number>, code: string, message: string): void {
    let node = this.errors;
    for (const key of path) {
      const next = node[String(key)];
      node = isObject(next) ? next : (node[String(key)] = {});
    }
    const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
    (list as unknown[]).push({ code, message });
    this.count++;
  }

  maxLength(path: Array<string | number>, max: number): void {
    this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  badLength(path: Array<string | number>, min: number, max: number): void {
    this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  }

  required(path: Array<string | number>): void {
    this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  }

  /** Throws 400 Invalid Form Body (code 50035) if anything was added. */
  throwIfAny(): void {
    if (this.count > 0) {
      throw new DiscordApiError(400, { message: 'Invalid Form Body', code: 50035, errors: this.errors });
    }
  }
}

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A real-looking snowflake: ms since the Discord epoch << 22, worker 1, a 12-bit increment. */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** Length the way Discord counts it (code points, not UTF-16 units). */
export const textLength = (s: string) => [...s].length;

export interface UploadedFile {
  /** Multipart field, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** One REST request as received; `status`/`response` are set once answered. */
export interface DiscordCall {
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  /** The JSON body, or the parsed `payload_json` of a multipart body. */
  body: unknown;
  files: UploadedFile[];
  at: number;
  status?: number;
  response?: unknown;
}

export interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/** A message the bot created (channel.send, interaction reply, follow-up), as stored by the fake. */
export interface SentMessage {
  id: string;
  channelId: string;
  via: 'channel' | 'callback' | 'followup';
  interactionId?: string;
  content: string | undefined;
  embeds: JsonObject[];
  components: JsonObject[];
  allowed_mentions: AllowedMentions | undefined;
  flags: number;
  files: UploadedFile[];
  /** The request payload as sent (JSON or `payload_json`). */
  payload: JsonObject;
  /** The message object Discord returned (edits applied). */
  message: JsonObject;
  at: number;
}

export interface CallbackRecord {
  interactionId: string;
  token: string;
  /** 1 PONG, 4 reply, 5 deferReply, 6 deferUpdate, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  data: JsonObject | undefined;
  files: UploadedFile[];
  at: number;
}

export interface FollowupRecord {
  token: string;
  interactionId: string;
  /** `followup` = POST /webhooks/{app}/{token}; `edit` = PATCH .../messages/{id|@original}. */
  kind: 'followup' | 'edit';
  /** The message id, `@original` as sent for edits of the original response. */
  target: string;
  payload: JsonObject;
  files: UploadedFile[];
  message: JsonObject;
  at: number;
}

export type ApplicationCommand = JsonObject & { id: string; name: string; type: number; guild_id?: string };

/** What a test can say about a Discord user (id, username, global name). */
export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
}
