/**
 * Messages the bot created, as Discord stores and returns them: snowflake ids, the bot as author, `type: 'rich'`
 * embeds, numbered components, attachments `{id, filename, size, url, proxy_url, content_type}` whose url is
 * served by the fake (`GET /attachments/{channel}/{id}/{filename}`).
 */
import { botUser, type World } from './discord-payloads.ts';
import { validateMessage } from './discord-validation.ts';
import {
  ERRORS, isObject, snowflake, type AllowedMentions, type JsonObject, type SentMessage, type UploadedFile,
} from './discord-types.ts';

const LOADING = 1 << 7;
const EPHEMERAL = 1 << 6;

/** Discord's timestamp format, microsecond precision: `2025-01-01T12:00:00.123000+00:00`. */
export const discordTimestamp = (at = Date.now()) => new Date(at).toISOString().replace('Z', '000+00:00');

const PINGABLE = /@everyone|@here|<@!?\d+>|<@&\d+>/;

/**
 * Whether a message (SentMessage, callback data, payload) could ping anyone: its content has @everyone, @here,
 * <@id> or <@&id> AND allowed_mentions is missing or has a non-empty parse/users/roles. Embeds never ping.
 */
export function wouldPing(message: { content?: unknown; allowed_mentions?: unknown } | undefined): boolean {
  const content = typeof message?.content === 'string' ? message.content : '';
  if (!PINGABLE.test(content)) return false;
  const allowed = message?.allowed_mentions as AllowedMentions | null | undefined;
  if (!allowed) return true;
  return (allowed.parse?.length ?? 0) > 0 || (allowed.users?.length ?? 0) > 0 || (allowed.roles?.length ?? 0) > 0;
}

const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

function numberComponents(rows: JsonObject[]): JsonObject[] {
  let next = 1;
  const number = (c: JsonObject): JsonObject => {
    const id = next++;
    const children = Array.isArray(c.components) ? { components: list(c.components).map(number) } : {};
    return { ...c, id: typeof c.id === 'number' ? c.id : id, ...children };
  };
  return rows.map(number);
}

export interface MessageOrigin {
  via: SentMessage['via'];
  interactionId?: string;
  /** Extra message fields (interaction_metadata, webhook_id...). */
  extra?: JsonObject;
}

export class MessageStore {
  readonly all: SentMessage[] = [];
  private readonly files = new Map<string, UploadedFile>();

  constructor(private readonly world: World, private readonly baseUrl: () => string) {}

  get(id: string): SentMessage | undefined {
    return this.all.find((m) => m.id === id);
  }

  lastIdIn(channelId: string): string | null {
    return this.all.filter((m) => m.channelId === channelId).at(-1)?.id ?? null;
  }

  /** Bytes behind an attachment url path, if the fake served it. */
  attachment(path: string): UploadedFile | undefined {
    return this.files.get(path);
  }

  /** Validates and stores a new message; throws DiscordApiError like Discord. */
  create(channelId: string, payload: JsonObject, files: UploadedFile[], origin: MessageOrigin): SentMessage {
    validateMessage(payload, files.length);
    return this.store(channelId, payload, files, origin);
  }

  /** The deferred "thinking…" original of an interaction (type 5), with the LOADING flag. */
  placeholder(channelId: string, flags: number, origin: MessageOrigin): SentMessage {
    return this.store(channelId, { flags: (flags & EPHEMERAL) | LOADING }, [], origin);
  }

  /** Applies an edit (only the fields present), like PATCH message; 50006 if the result would be empty. */
  edit(sent: SentMessage, payload: JsonObject, files: UploadedFile[]): SentMessage {
    validateMessage(payload, files.length, { edit: true });
    const m = sent.message;
    if ('content' in payload) m.content = typeof payload.content === 'string' ? payload.content : '';
    if ('embeds' in payload) m.embeds = list(payload.embeds).map((e) => ({ type: 'rich', ...e }));
    if ('components' in payload) m.components = numberComponents(list(payload.components));
    if ('attachments' in payload || files.length > 0) {
      const keep = (a: JsonObject) => !('attachments' in payload) || list(payload.attachments).some((p) => p.id === a.id);
      const kept = list(m.attachments).filter(keep);
      m.attachments = [...kept, ...this.attach(sent.channelId, payload, files)];
    }
    const flags = typeof m.flags === 'number' ? m.flags & ~LOADING : 0;
    m.flags = typeof payload.flags === 'number' ? (flags & EPHEMERAL) | (payload.flags & ~EPHEMERAL) : flags;
    m.edited_timestamp = discordTimestamp();
    const empty = !m.content && list(m.embeds).length === 0 && list(m.components).length === 0
      && list(m.attachments).length === 0;
    if (empty) throw ERRORS.emptyMessage();
    this.refresh(sent, payload, files);
    return sent;
  }

  private store(channelId: string, payload: JsonObject, files: UploadedFile[], origin: MessageOrigin): SentMessage {
    const id = snowflake();
    const message: JsonObject = {
      type: origin.via === 'channel' ? 0 : 20, channel_id: channelId, id,
      content: typeof payload.content === 'string' ? payload.content : '',
      embeds: list(payload.embeds).map((e) => ({ type: 'rich', ...e })),
      components: numberComponents(list(payload.components)),
      attachments: this.attach(channelId, payload, files),
      author: botUser(this.world), mentions: [], mention_roles: [], mention_everyone: false, pinned: false,
      tts: payload.tts === true, timestamp: discordTimestamp(), edited_timestamp: null,
      flags: typeof payload.flags === 'number' ? payload.flags : 0,
      ...(payload.nonce !== undefined ? { nonce: payload.nonce } : {}),
      ...(isObject(payload.message_reference) ? { message_reference: payload.message_reference } : {}),
      ...origin.extra,
    };
    const sent: SentMessage = {
      id, channelId, via: origin.via, ...(origin.interactionId ? { interactionId: origin.interactionId } : {}),
      content: undefined, embeds: [], components: [], allowed_mentions: undefined, flags: 0, files: [], payload,
      message, at: Date.now(),
    };
    this.refresh(sent, payload, files);
    this.all.push(sent);
    return sent;
  }

  /** Keeps the convenience fields of a SentMessage in step with its message object and latest payload. */
  private refresh(sent: SentMessage, payload: JsonObject, files: UploadedFile[]): void {
    const m = sent.message;
    sent.content = typeof m.content === 'string' && m.content !== '' ? m.content : undefined;
    sent.embeds = list(m.embeds);
    sent.components = list(m.components);
    sent.flags = typeof m.flags === 'number' ? m.flags : 0;
    sent.files = [...sent.files, ...files];
    sent.payload = payload;
    if ('allowed_mentions' in payload || sent.allowed_mentions === undefined) {
      sent.allowed_mentions = isObject(payload.allowed_mentions) ? (payload.allowed_mentions as AllowedMentions) : undefined;
    }
  }

  /** Attachment objects for uploaded `files[n]`, described by `payload.attachments[{id: n, ...}]` when given. */
  private attach(channelId: string, payload: JsonObject, files: UploadedFile[]): JsonObject[] {
    const described = list(payload.attachments);
    return files.map((file, i) => {
      const index = /\[(\d+)\]$/.exec(file.field)?.[1] ?? String(i);
      const meta = described.find((a) => String(a.id) === index) ?? {};
      const id = snowflake();
      const filename = typeof meta.filename === 'string' ? meta.filename : file.filename;
      const path = `/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      this.files.set(path, file);
      const url = `${this.baseUrl()}${path}`;
      return {
        id, filename, size: file.bytes.length, url, proxy_url: url, content_type: file.contentType,
        ...(typeof meta.description === 'string' ? { description: meta.description } : {}),
      };
    });
  }
}
