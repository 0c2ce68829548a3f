/** What the Slack fake records for tests, and the error type its Web API methods throw. */

/** A method's arguments: form fields coerced (JSON fields parsed, flags to booleans), JSON bodies as sent. */
export type Params = Record<string, unknown>;

/**
 * A Web API error as Slack reports it: HTTP 200 (429 for rate limits) and `{"ok":false,"error":code,...extra}`.
 * `messages` become `response_metadata.messages` (and `errors` without the `[ERROR] ` prefix, like Slack).
 */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly messages: string[] = [],
    readonly status = 200,
  ) {
    super(messages.length > 0 ? `${code}: ${messages.join('; ')}` : code);
  }

  /** The JSON body Slack answers with. */
  body(): Record<string, unknown> {
    if (this.messages.length === 0) return { ok: false, error: this.code };
    return {
      ok: false,
      error: this.code,
      errors: this.messages.map((m) => m.replace(/^\[ERROR\] /, '')),
      response_metadata: { messages: this.messages },
    };
  }
}

/** Every HTTP request to `/api/<method>`, in arrival order; `status`/`response` are set once answered. */
export interface SlackCall {
  method: string;
  params: Params;
  /** The bearer token (header) or `token` field the call carried. */
  token: string | undefined;
  contentType: string;
  at: number;
  status?: number;
  response?: Record<string, unknown>;
}

/** A successful chat.postMessage, as the service sent it. */
export interface SlackPost {
  channel: string;
  ts: string;
  text: string | undefined;
  /** Parsed blocks exactly as sent (the stored message gets Slack's generated block_ids). */
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  threadTs: string | undefined;
  unfurlLinks: boolean | undefined;
  unfurlMedia: boolean | undefined;
  linkNames: boolean | undefined;
  mrkdwn: boolean | undefined;
  params: Params;
  at: number;
}

/** A successful chat.postEphemeral. */
export interface SlackEphemeral {
  channel: string;
  user: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  messageTs: string;
  params: Params;
  at: number;
}

/** A successful chat.update (the message after it is `message`). */
export interface SlackUpdate {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  message: SlackMessage;
  at: number;
}

/** A successful views.open. */
export interface SlackView {
  viewId: string;
  triggerId: string;
  view: Record<string, unknown>;
  at: number;
}

/** A message as the fake stores it and returns it (`message` of chat.postMessage, block_actions payloads). */
export interface SlackMessage {
  type: 'message';
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  ts: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  edited?: { user: string; ts: string };
  [field: string]: unknown;
}

/** An external upload: created by files.getUploadURLExternal, filled by the upload POST, shared by complete. */
export interface SlackFile {
  id: string;
  filename: string;
  title: string | undefined;
  /** `length` as declared to files.getUploadURLExternal (compare with `bytes.length`). */
  declaredLength: number;
  bytes: Buffer | undefined;
  /** How the bytes arrived: a multipart file part, or the raw request body. */
  uploadedAs: 'multipart' | 'raw' | undefined;
  completed: boolean;
  channel: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
  permalink: string;
}

/** A completed file, as `fake.files()` lists it. */
export type SlackSharedFile = SlackFile & { bytes: Buffer; completed: true };

/** A JSON body POSTed to a response_url the fake handed out (Bolt's `respond()`), plus where and when. */
export interface SlackResponsePost {
  responseId: string;
  at: number;
  response_type?: 'in_channel' | 'ephemeral' | string;
  text?: string;
  blocks?: unknown[];
  replace_original?: boolean | string;
  delete_original?: boolean | string;
  thread_ts?: string;
  [field: string]: unknown;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
