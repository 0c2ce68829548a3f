import type { ChatRef } from '../domain/chat.ts';
import type { Message } from '../domain/message.ts';
import type { ChatPace } from '../notify/pacer.ts';

/** A chat platform: receives commands from its users and sends them messages. */
export interface Channel {
  readonly platform: string;
  start(): Promise<void>;
  send(chatId: string, message: Message): Promise<void>;
  stop(): Promise<void>;
  /** The platform's documented sending pace for one chat, and for the whole bot. */
  pace(chatId: string): ChatPace;
}

/**
 * A failed send. `permanent` stops retrying at once (chat gone, bot blocked); `malformed` says this
 * message was refused (or could not be made) and will be every time, so a plain fallback may still
 * go through; `retryAfterMs` is the platform's own wait (a 429), used instead of the backoff;
 * `unauthorized` means the platform refuses the bot's token, so no send there can work until a
 * restart with a new one. No flag: transient (network, 5xx, 429), worth retrying.
 */
export class SendError extends Error {
  override name = 'SendError';
  readonly permanent: boolean;
  readonly malformed: boolean;
  readonly retryAfterMs: number | undefined;
  readonly unauthorized: boolean;

  constructor(message: string, options: { permanent?: boolean; malformed?: boolean; retryAfterMs?: number; unauthorized?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.permanent = options.permanent ?? false;
    this.malformed = options.malformed ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.unauthorized = options.unauthorized ?? false;
  }
}

export type ChatSender = (chat: ChatRef, message: Message) => Promise<void>;
