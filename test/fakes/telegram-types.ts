/** Wire types the Telegram fake speaks (a subset of the Bot API objects) and what it records for tests. */
import type { MultipartFile } from './multipart.ts';
import type { TelegramEntity } from './telegram-html.ts';

/** A method's parameters, typed as far as the body allowed (JSON bodies keep their types, form bodies are coerced). */
export type Payload = Record<string, unknown>;

export class TelegramApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

export const badRequest = (reason: string) => new TelegramApiError(400, `Bad Request: ${reason}`);

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** getMe's result, with every field of Bot API 10 / @grammyjs/types 5 UserFromGetMe. */
export interface TgBotUser extends TgUser {
  is_bot: true;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
  has_topics_enabled: boolean;
  allows_users_to_create_topics: boolean;
  can_manage_bots: boolean;
  supports_join_request_queries: boolean;
}

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface TgChat {
  id: number;
  type: ChatType;
  title?: string;
  first_name?: string;
  username?: string;
}

export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name: string;
  mime_type: string;
  file_size: number;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [field: string]: unknown;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineButton[][];
}

export interface TgMessage {
  message_id: number;
  from?: TgUser;
  date: number;
  edit_date?: number;
  chat: TgChat;
  text?: string;
  entities?: TelegramEntity[];
  caption?: string;
  caption_entities?: TelegramEntity[];
  document?: TgDocument;
  photo?: Array<{ file_id: string; file_unique_id: string; width: number; height: number; file_size: number }>;
  reply_markup?: InlineKeyboardMarkup;
  /** Service messages of a group upgraded to a supergroup: in the old chat, and in the new one. */
  migrate_to_chat_id?: number;
  migrate_from_chat_id?: number;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message: TgMessage;
  chat_instance: string;
  data: string;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: TgCallbackQuery;
  /** Any other update type a test wants to push (edited_message, my_chat_member, ...). */
  [type: string]: unknown;
}

/** One HTTP call the fake received. `status`/`response` are set once it was answered. */
export interface ApiCall {
  method: string;
  payload: Payload;
  files: Record<string, MultipartFile>;
  /** Date.now() when the request arrived. */
  at: number;
  status?: number;
  response?: unknown;
}

/** A message or document the bot sent successfully. */
export interface SentRecord {
  kind: 'message' | 'document' | 'photo';
  chatId: number;
  messageId: number;
  /** Plain text after entity parsing (messages). */
  text?: string;
  /** Plain caption after entity parsing (documents). */
  caption?: string;
  /** What the bot sent in `text`/`caption`, before parsing. */
  raw?: string;
  parseMode?: string;
  document?: { fileId: string; filename: string; mimeType: string; data: Buffer };
  photo?: { fileId: string; filename: string; mimeType: string; data: Buffer; width: number; height: number };
  replyMarkup?: InlineKeyboardMarkup;
  message: TgMessage;
  at: number;
}

export interface EditRecord {
  method: 'editMessageText' | 'editMessageReplyMarkup';
  chatId: number;
  messageId: number;
  /** The message after the edit. */
  message: TgMessage;
  at: number;
}

export interface CallbackAnswer {
  callbackQueryId: string;
  text?: string;
  showAlert?: boolean;
  url?: string;
  cacheTime?: number;
  at: number;
}

export interface BotCommand {
  command: string;
  description: string;
}

export interface WebhookState {
  url: string;
  secretToken?: string;
  maxConnections?: number;
  allowedUpdates?: string[];
  lastErrorDate?: number;
  lastErrorMessage?: string;
}
