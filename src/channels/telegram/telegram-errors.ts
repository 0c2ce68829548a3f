import { GrammyError, HttpError } from 'grammy';
import { SendError } from '../channel.ts';

/** Bot API answers that will not change on retry: the chat is gone or the bot is out of it. */
const PERMANENT = [/chat not found/i, /bot was blocked/i, /bot was kicked/i, /user is deactivated/i, /not enough rights/i, /have no rights/i, /group chat was upgraded/i];

/** A grammY failure as a SendError the dispatcher knows how to retry (or not). */
export function toSendError(error: unknown): SendError {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) {
      return new SendError(error.description, { retryAfterMs: (error.parameters.retry_after ?? 1) * 1000, cause: error });
    }
    if (error.error_code === 401) {
      return new SendError('Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN with @BotFather', { unauthorized: true, cause: error });
    }
    if (PERMANENT.some((pattern) => pattern.test(error.description))) return new SendError(error.description, { permanent: true, cause: error });
    // Any other 4xx ("can't parse entities", "message is too long", a bad button) is about this message:
    // refused every time, though a plainer one may pass. 5xx is Telegram's own trouble: retried.
    return new SendError(error.description, { malformed: error.error_code < 500, cause: error });
  }
  if (error instanceof HttpError) return new SendError(`Telegram unreachable: ${error.message}`, { cause: error });
  // grammY reports every failed request as one of the above: anything else was thrown making the message.
  return new SendError(String(error), { malformed: true, cause: error });
}
