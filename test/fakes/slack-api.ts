/**
 * The Web API methods of the Slack fake and the workspace state behind them (messages per channel, views,
 * trigger_ids, external uploads). Each method takes coerced arguments and returns the fields of its `ok:true`
 * answer, or throws SlackApiError with Slack's error code (docs.slack.dev/reference/methods/<method>).
 */
import { randomBytes } from 'node:crypto';
import { validateBlocks, validateView } from './slack-blocks.ts';
import { newTriggerId, nowMicros, slackTs } from './slack-interactions.ts';
import {
  SlackApiError,
  isRecord,
  type Params,
  type SlackEphemeral,
  type SlackFile,
  type SlackMessage,
  type SlackPost,
  type SlackUpdate,
  type SlackView,
} from './slack-types.ts';

export interface SlackIdentity {
  token: string;
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
}

/** Slack's limit on `text` (docs: "truncate messages containing more than 40,000 characters"; error msg_too_long). */
const MAX_TEXT = 40_000;
/** A trigger_id is valid for 3 s after the user's action. */
const TRIGGER_TTL_MS = 3000;
/** Slack sets this as `text` of a message that came with blocks and no fallback text. */
const NO_FALLBACK_TEXT = "This content can't be displayed.";

type Method = (params: Params) => Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const flag = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const invalidArgs = (...messages: string[]) => new SlackApiError('invalid_arguments', messages);
const missing = (field: string) => invalidArgs(`[ERROR] missing required field: ${field}`);

/** Slack-generated block_ids for blocks sent without one (random, like Slack's `kWBL`). */
function withBlockIds(blocks: unknown[] | undefined): unknown[] | undefined {
  return blocks?.map((b) => (isRecord(b) && b.block_id === undefined ? { ...b, block_id: randomBytes(3).toString('base64url') } : b));
}

export class SlackWebApi {
  readonly posts: SlackPost[] = [];
  readonly ephemerals: SlackEphemeral[] = [];
  readonly updates: SlackUpdate[] = [];
  readonly views: SlackView[] = [];
  readonly uploads = new Map<string, SlackFile>();
  private readonly messages = new Map<string, Map<string, SlackMessage>>();
  private readonly lastTs = new Map<string, number>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private seq = 0;

  constructor(
    readonly id: SlackIdentity,
    /** `http://127.0.0.1:PORT` once listening. */
    private readonly baseUrl: () => string,
  ) {}

  readonly methods: Record<string, Method> = {
    'auth.test': () => ({
      url: `https://${this.id.teamDomain}.slack.com/`,
      team: this.id.teamName,
      user: this.id.botName,
      team_id: this.id.teamId,
      user_id: this.id.botUserId,
      bot_id: this.id.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (p) => this.postMessage(p),
    'chat.postEphemeral': (p) => this.postEphemeral(p),
    'chat.update': (p) => this.update(p),
    'views.open': (p) => this.openView(p),
    'files.getUploadURLExternal': (p) => this.getUploadUrl(p),
    'files.completeUploadExternal': (p) => this.completeUpload(p),
  };

  /** A new trigger_id, as if a user acted `ageMs` ago (use > 3000 to get one that views.open finds expired). */
  issueTrigger(ageMs = 0): string {
    const triggerId = newTriggerId(++this.seq);
    this.triggers.set(triggerId, { issuedAt: Date.now() - ageMs, used: false });
    return triggerId;
  }

  message(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.get(channel)?.get(ts);
  }

  /** Stores the bytes POSTed to an upload_url; false for an id the fake never issued. */
  receiveUpload(fileId: string, bytes: Buffer, as: 'multipart' | 'raw'): boolean {
    const file = this.uploads.get(fileId);
    if (!file) return false;
    file.bytes = bytes;
    file.uploadedAs = as;
    return true;
  }

  // ---- chat.* ---------------------------------------------------------------------------------------------------

  private channelOf(p: Params): string {
    const channel = str(p.channel);
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel;
  }

  /** A strictly increasing ts per channel, from the clock (Slack's ts are creation times in µs). */
  private nextTs(channel: string): string {
    const micros = Math.max(nowMicros(), (this.lastTs.get(channel) ?? 0) + 1);
    this.lastTs.set(channel, micros);
    return slackTs(micros);
  }

  /** text/blocks/attachments checked like chat.postMessage: no_text, msg_too_long, invalid_blocks(_format). */
  private content(p: Params) {
    const text = str(p.text);
    if (typeof p.blocks === 'string') throw new SlackApiError('invalid_blocks_format');
    if (typeof p.attachments === 'string') throw new SlackApiError('invalid_attachments');
    const blocks = Array.isArray(p.blocks) ? p.blocks : undefined;
    const attachments = Array.isArray(p.attachments) ? p.attachments : undefined;
    if (!text && !blocks?.length && !attachments?.length) throw new SlackApiError('no_text');
    if (text && text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
    if (p.blocks !== undefined) {
      const errors = validateBlocks(p.blocks);
      if (errors.length > 0) throw new SlackApiError('invalid_blocks', errors);
    }
    return { text, blocks, attachments };
  }

  private postMessage(p: Params) {
    const channel = this.channelOf(p);
    const { text, blocks, attachments } = this.content(p);
    const ts = this.nextTs(channel);
    const threadTs = str(p.thread_ts);
    const message: SlackMessage = {
      user: this.id.botUserId,
      type: 'message',
      ts,
      bot_id: this.id.botId,
      app_id: this.id.appId,
      text: text ?? (blocks?.length ? NO_FALLBACK_TEXT : ''),
      team: this.id.teamId,
      bot_profile: { id: this.id.botId, app_id: this.id.appId, name: this.id.botName, deleted: false, team_id: this.id.teamId },
      ...(blocks ? { blocks: withBlockIds(blocks) } : {}),
      ...(attachments ? { attachments } : {}),
      ...(threadTs ? { thread_ts: threadTs, parent_user_id: this.id.botUserId } : {}),
    };
    if (!this.messages.has(channel)) this.messages.set(channel, new Map());
    this.messages.get(channel)?.set(ts, message);
    this.posts.push({
      channel, ts, text, blocks, attachments, threadTs,
      unfurlLinks: flag(p.unfurl_links),
      unfurlMedia: flag(p.unfurl_media),
      linkNames: flag(p.link_names),
      mrkdwn: flag(p.mrkdwn),
      params: p,
      at: Date.now(),
    });
    return { channel, ts, message: structuredClone(message) };
  }

  private postEphemeral(p: Params) {
    const channel = this.channelOf(p);
    const user = str(p.user);
    if (!user) throw missing('user');
    const { text, blocks } = this.content(p);
    const messageTs = this.nextTs(channel);
    this.ephemerals.push({ channel, user, text, blocks, messageTs, params: p, at: Date.now() });
    return { message_ts: messageTs };
  }

  /** Omitted blocks/attachments keep the previous ones (docs: pass `[]` to remove them). */
  private update(p: Params) {
    const channel = this.channelOf(p);
    const ts = str(p.ts);
    const message = ts ? this.message(channel, ts) : undefined;
    if (!ts || !message) throw new SlackApiError('message_not_found');
    const { text, blocks, attachments } = this.content(p);
    if (blocks) message.blocks = withBlockIds(blocks);
    if (attachments) message.attachments = attachments;
    message.text = text ?? (message.blocks?.length ? NO_FALLBACK_TEXT : '');
    message.edited = { user: this.id.botUserId, ts: slackTs(nowMicros()) };
    const snapshot = structuredClone(message);
    this.updates.push({ channel, ts, text, blocks, message: snapshot, at: Date.now() });
    return { channel, ts, text: snapshot.text, message: snapshot };
  }

  // ---- views.open -----------------------------------------------------------------------------------------------

  private openView(p: Params) {
    const triggerId = str(p.trigger_id);
    if (!triggerId) throw missing('trigger_id');
    const trigger = this.triggers.get(triggerId);
    if (!trigger) throw new SlackApiError('invalid_trigger_id');
    if (trigger.used) throw new SlackApiError('exchanged_trigger_id');
    if (Date.now() - trigger.issuedAt > TRIGGER_TTL_MS) throw new SlackApiError('expired_trigger_id');
    if (p.view === undefined) throw missing('view');
    const errors = validateView(p.view);
    if (errors.length > 0 || !isRecord(p.view)) throw invalidArgs(...errors);
    trigger.used = true;
    const viewId = `V0${String(++this.seq).padStart(9, '0')}`;
    const view = {
      id: viewId,
      team_id: this.id.teamId,
      type: 'modal',
      private_metadata: '',
      callback_id: '',
      external_id: '',
      ...p.view,
      blocks: withBlockIds(p.view.blocks as unknown[]),
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: this.id.appId,
      app_installed_team_id: this.id.teamId,
      bot_id: this.id.botId,
    };
    this.views.push({ viewId, triggerId, view: p.view, at: Date.now() });
    return { view };
  }

  // ---- files: getUploadURLExternal, (POST upload_url), completeUploadExternal ------------------------------------

  private getUploadUrl(p: Params) {
    const filename = str(p.filename);
    if (!filename) throw missing('filename');
    if (p.length === undefined) throw missing('length');
    const length = Number(p.length);
    if (!Number.isInteger(length) || length < 0) throw invalidArgs('[ERROR] must be an integer [json-pointer:/length]');
    if (length === 0) throw new SlackApiError('missing_argument');
    const id = `F0${String(++this.seq).padStart(9, '0')}`;
    const permalink = `https://${this.id.teamDomain}.slack.com/files/${this.id.botUserId}/${id}/${encodeURIComponent(filename)}`;
    this.uploads.set(id, {
      id, filename, title: undefined, declaredLength: length, bytes: undefined, uploadedAs: undefined, completed: false,
      channel: undefined, threadTs: undefined, initialComment: undefined, permalink,
    });
    return { upload_url: `${this.baseUrl()}/upload/${id}`, file_id: id };
  }

  private completeUpload(p: Params) {
    if (!Array.isArray(p.files) || p.files.length === 0) throw missing('files');
    const entries = p.files.filter(isRecord);
    const files = entries.map((entry) => this.uploads.get(String(entry.id)));
    if (entries.length !== p.files.length || files.some((f) => !f?.bytes || f.completed)) {
      throw new SlackApiError('file_not_found');
    }
    const channel = str(p.channel_id) ?? str(p.channels);
    const created = Math.floor(Date.now() / 1000);
    return {
      files: (files as SlackFile[]).map((file, i) => {
        Object.assign(file, {
          completed: true,
          title: str(entries[i]?.title) ?? file.filename,
          channel,
          threadTs: str(p.thread_ts),
          initialComment: str(p.initial_comment),
        });
        return {
          id: file.id, created, timestamp: created, name: file.filename, title: file.title,
          mimetype: /\.json$/i.test(file.filename) ? 'application/json' : /\.txt$/i.test(file.filename) ? 'text/plain' : 'application/octet-stream',
          filetype: /\.json$/i.test(file.filename) ? 'json' : /\.txt$/i.test(file.filename) ? 'text' : 'binary',
          user: this.id.botUserId, user_team: this.id.teamId, size: file.bytes?.length ?? 0,
          mode: 'hosted', is_external: false, is_public: channel !== undefined,
          url_private: `https://files.slack.com/files-pri/${this.id.teamId}-${file.id}/${encodeURIComponent(file.filename)}`,
          permalink: file.permalink,
          channels: channel ? [channel] : [], shares: {}, file_access: 'visible',
        };
      }),
    };
  }
}
