/**
 * The state and message-level methods of the Telegram fake: chats, messages, documents, edits, callback answers,
 * commands, with Telegram's validation and its real error strings. HTTP lives in telegram-fake.ts, polling and
 * webhooks in telegram-updates.ts.
 */
import { randomBytes } from 'node:crypto';
import type { MultipartFile } from './multipart.ts';
import {
  badRequest,
  type BotCommand,
  type CallbackAnswer,
  type ChatType,
  type EditRecord,
  type Payload,
  type SentRecord,
  type TgBotUser,
  type TgChat,
  type TgMessage,
  type TgUser,
} from './telegram-types.ts';
import { formatted, imageSize, inlineMarkup, mimeTypeOf } from './telegram-validation.ts';

export const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as ' +
  'a current content and reply markup of the message';

const now = () => Math.floor(Date.now() / 1000);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export interface TelegramApiOptions {
  token: string;
  botUsername: string;
  strictAmpersand: boolean;
}


type StoredFile = { filename: string; mimeType: string; data: Buffer };
export class TelegramApi {
  readonly me: TgBotUser;
  readonly chats = new Map<number, TgChat>();
  /** Every message in every chat (the bot's and the users'), by `${chatId}:${messageId}`. */
  readonly messages = new Map<string, TgMessage>();
  readonly sent: SentRecord[] = [];
  readonly edits: EditRecord[] = [];
  readonly answers: CallbackAnswer[] = [];
  /** Uploaded files by file_id. */
  readonly files = new Map<string, StoredFile>();
  /** setMyCommands lists by `${scope JSON}|${language_code}`. */
  readonly commands = new Map<string, BotCommand[]>();
  readonly callbackQueries = new Map<string, { chatId: number; messageId: number; data: string; answered: boolean }>();
  private readonly lastMessageId = new Map<number, number>();
  private fileCounter = 0;

  constructor(private readonly options: TelegramApiOptions) {
    const id = Number(/^(\d+):/.exec(options.token)?.[1] ?? 123456789);
    this.me = {
      id,
      is_bot: true,
      first_name: 'Hookwatch Test Bot',
      username: options.botUsername,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  }

  // ---- chats and messages -------------------------------------------------------------------------------------

  /** The chat with this id; its type is remembered from `register`, else guessed from the id like Telegram's. */
  chat(id: number): TgChat {
    const known = this.chats.get(id);
    if (known) return known;
    const type: ChatType = id > 0 ? 'private' : String(id).startsWith('-100') ? 'supergroup' : 'group';
    return this.register(id, type);
  }

  register(id: number, type: ChatType): TgChat {
    const chat: TgChat =
      type === 'private'
        ? { id, type, first_name: 'Test', username: `user${id}` }
        : { id, type, title: `Test ${type} ${id}` };
    this.chats.set(id, chat);
    return chat;
  }

  /** The default human in a chat: in private chats the user id equals the chat id. */
  userFor(chat: TgChat): TgUser {
    const id = chat.type === 'private' ? chat.id : 424242;
    const first_name = chat.type === 'private' ? 'Test' : 'Alice';
    return { id, is_bot: false, first_name, username: `user${id}`, language_code: 'en' };
  }

  message(chatId: number, messageId: number): TgMessage | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  /** Creates and stores a message with the chat's next message_id (bot and users share the sequence). */
  store(chat: TgChat, from: TgUser, content: Partial<TgMessage>): TgMessage {
    const messageId = (this.lastMessageId.get(chat.id) ?? 0) + 1;
    this.lastMessageId.set(chat.id, messageId);
    const message: TgMessage = { message_id: messageId, from, date: now(), chat, ...content };
    this.messages.set(`${chat.id}:${messageId}`, message);
    return message;
  }

  newCallbackQueryId(chatId: number, messageId: number, data: string): string {
    const id = BigInt(`0x${randomBytes(8).toString('hex')}`).toString();
    this.callbackQueries.set(id, { chatId, messageId, data, answered: false });
    return id;
  }

  // ---- validation ---------------------------------------------------------------------------------------------

  chatIdOf(p: Payload): number {
    const value = p.chat_id;
    if (value === undefined || value === null || value === '') throw badRequest('chat_id is empty');
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
    throw badRequest('chat not found'); // @channel usernames: the fake knows no channels
  }

  private text(raw: unknown, parseMode: unknown, max: number, tooLong: string, allowEmpty = false) {
    return formatted(raw, parseMode, { max, tooLong, allowEmpty, strictAmpersand: this.options.strictAmpersand });
  }

  // ---- methods ------------------------------------------------------------------------------------------------

  sendMessage(p: Payload): TgMessage {
    const chat = this.chat(this.chatIdOf(p));
    const text = this.text(p.text, p.parse_mode, 4096, 'message is too long');
    const markup = inlineMarkup(p.reply_markup);
    const message = this.store(chat, this.me, {
      text: text.text,
      ...(text.entities.length > 0 ? { entities: text.entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    });
    this.sent.push({
      kind: 'message', chatId: chat.id, messageId: message.message_id, text: text.text, raw: text.raw,
      parseMode: text.parseMode, replyMarkup: markup, message: structuredClone(message), at: Date.now(),
    });
    return message;
  }

  /** The file of a send method's `field`: an `attach://` part, a part of that name (curl style) or an earlier file id. */
  private uploaded(p: Payload, files: Record<string, MultipartFile>, field: 'document' | 'photo'): { fileId: string; file: StoredFile } {
    const ref = p[field];
    let file: StoredFile | undefined;
    let fileId: string | undefined;
    if (typeof ref === 'string' && ref.startsWith('attach://')) {
      const part = files[ref.slice('attach://'.length)];
      if (!part) throw badRequest('wrong file identifier/HTTP URL specified');
      file = { filename: part.filename, mimeType: mimeTypeOf(part.filename), data: part.data };
    } else if (files[field]) {
      const { filename, data } = files[field];
      file = { filename, mimeType: mimeTypeOf(filename), data };
    } else if (typeof ref === 'string' && this.files.has(ref)) {
      fileId = ref;
      file = this.files.get(ref);
    } else if (ref === undefined || ref === '') {
      throw badRequest(`there is no ${field} in the request`);
    } else {
      throw badRequest('wrong file identifier/HTTP URL specified'); // the fake downloads no URLs
    }
    if (!file) throw badRequest('wrong file identifier/HTTP URL specified');
    if (file.data.length === 0) throw badRequest('file must be non-empty');
    if (!fileId) {
      fileId = `BQACAgIAAxkDAAI${String(++this.fileCounter).padStart(4, '0')}fake${randomBytes(6).toString('hex')}`;
      this.files.set(fileId, file);
    }
    return { fileId, file };
  }

  /** Like Telegram: the photo must be an image it can read (PNG or JPEG here), at most 10 MB, sides summing to at most 10,000 and a ratio within 20. */
  sendPhoto(p: Payload, files: Record<string, MultipartFile>): TgMessage {
    const chat = this.chat(this.chatIdOf(p));
    const { fileId, file } = this.uploaded(p, files, 'photo');
    const size = imageSize(file.data);
    if (!size) throw badRequest('IMAGE_PROCESS_FAILED');
    if (file.data.length > 10 * 1024 * 1024) throw badRequest('PHOTO_SAVE_FILE_INVALID');
    if (size.width + size.height > 10_000 || Math.max(size.width / size.height, size.height / size.width) > 20) throw badRequest('PHOTO_INVALID_DIMENSIONS');
    const caption = this.text(p.caption, p.parse_mode, 1024, 'message caption is too long', true);
    const markup = inlineMarkup(p.reply_markup);
    const message = this.store(chat, this.me, {
      photo: [{ file_id: fileId, file_unique_id: `AgAD${fileId.slice(-12)}`, width: size.width, height: size.height, file_size: file.data.length }],
      ...(caption.text ? { caption: caption.text } : {}),
      ...(caption.entities.length > 0 ? { caption_entities: caption.entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    });
    this.sent.push({
      kind: 'photo', chatId: chat.id, messageId: message.message_id, caption: caption.text, raw: caption.raw,
      parseMode: caption.parseMode, photo: { fileId, ...file, ...size }, replyMarkup: markup,
      message: structuredClone(message), at: Date.now(),
    });
    return message;
  }

  sendDocument(p: Payload, files: Record<string, MultipartFile>): TgMessage {
    const chat = this.chat(this.chatIdOf(p));
    const { fileId, file } = this.uploaded(p, files, 'document');
    const caption = this.text(p.caption, p.parse_mode, 1024, 'message caption is too long', true);
    const markup = inlineMarkup(p.reply_markup);
    const message = this.store(chat, this.me, {
      document: {
        file_id: fileId,
        file_unique_id: `AgAD${fileId.slice(-12)}`,
        file_name: file.filename,
        mime_type: file.mimeType,
        file_size: file.data.length,
      },
      ...(caption.text ? { caption: caption.text } : {}),
      ...(caption.entities.length > 0 ? { caption_entities: caption.entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    });
    this.sent.push({
      kind: 'document', chatId: chat.id, messageId: message.message_id, caption: caption.text, raw: caption.raw,
      parseMode: caption.parseMode, document: { fileId, ...file }, replyMarkup: markup,
      message: structuredClone(message), at: Date.now(),
    });
    return message;
  }

  private editable(p: Payload): TgMessage {
    if (p.inline_message_id !== undefined) throw badRequest('MESSAGE_ID_INVALID'); // no inline mode in the fake
    const chatId = this.chatIdOf(p);
    if (p.message_id === undefined || p.message_id === '') throw badRequest('message identifier is not specified');
    const message = this.message(chatId, Number(p.message_id));
    if (!message) throw badRequest('message to edit not found');
    if (message.from?.id !== this.me.id) throw badRequest("message can't be edited");
    return message;
  }

  editMessageText(p: Payload): TgMessage {
    const message = this.editable(p);
    const text = this.text(p.text, p.parse_mode, 4096, 'message is too long');
    const markup = inlineMarkup(p.reply_markup);
    if (message.text === undefined) throw badRequest('there is no text in the message to edit');
    const entities = text.entities.length > 0 ? text.entities : undefined;
    if (message.text === text.text && same(message.entities, entities) && same(message.reply_markup, markup)) {
      throw badRequest(NOT_MODIFIED);
    }
    message.text = text.text;
    message.entities = entities;
    message.reply_markup = markup; // an edit without reply_markup removes the keyboard, as in Telegram
    return this.edited('editMessageText', message);
  }

  editMessageReplyMarkup(p: Payload): TgMessage {
    const message = this.editable(p);
    const markup = inlineMarkup(p.reply_markup);
    if (same(message.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
    message.reply_markup = markup;
    return this.edited('editMessageReplyMarkup', message);
  }

  private edited(method: EditRecord['method'], message: TgMessage): TgMessage {
    message.edit_date = now();
    for (const key of ['entities', 'reply_markup'] as const) if (message[key] === undefined) delete message[key];
    const snapshot = structuredClone(message);
    const { chat, message_id: messageId } = message;
    this.edits.push({ method, chatId: chat.id, messageId, message: snapshot, at: Date.now() });
    return snapshot;
  }

  answerCallbackQuery(p: Payload): true {
    const id = p.callback_query_id === undefined ? '' : String(p.callback_query_id);
    const query = this.callbackQueries.get(id);
    if (!query || query.answered) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const text = p.text === undefined ? undefined : String(p.text);
    if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    query.answered = true;
    this.answers.push({
      callbackQueryId: id, text, at: Date.now(),
      showAlert: p.show_alert === undefined ? undefined : p.show_alert === true,
      url: p.url === undefined ? undefined : String(p.url),
      cacheTime: p.cache_time === undefined ? undefined : Number(p.cache_time),
    });
    return true;
  }

  private commandsKey(p: Payload): string {
    const language = p.language_code === undefined ? '' : String(p.language_code);
    return `${JSON.stringify(p.scope ?? { type: 'default' })}|${language}`;
  }

  setMyCommands(p: Payload): true {
    if (!Array.isArray(p.commands)) throw badRequest("can't parse commands JSON object");
    if (p.commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
    const list: BotCommand[] = [];
    for (const entry of p.commands as unknown[]) {
      const c = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      let command = String(c.command ?? '').trim(); // tdlib: trim, drop one leading '/'
      if (command.startsWith('/')) command = command.slice(1);
      const description = String(c.description ?? '').trim();
      if (command === '') throw badRequest('command must be non-empty');
      if ([...command].length > 32) throw badRequest('command length must not exceed 32');
      if (description === '') throw badRequest('command description must be non-empty');
      if ([...description].length > 256) throw badRequest('command description length must not exceed 256');
      if (!/^[a-z0-9_]+$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
      list.push({ command, description });
    }
    this.commands.set(this.commandsKey(p), list);
    return true;
  }

  getMyCommands(p: Payload): BotCommand[] {
    return this.commands.get(this.commandsKey(p)) ?? [];
  }

  deleteMyCommands(p: Payload): true {
    this.commands.delete(this.commandsKey(p));
    return true;
  }
}
