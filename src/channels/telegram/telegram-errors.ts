import { GrammyError, HttpError } from 'grammy';
import { SendError } from '../channel.ts';

/** Bot API answers that will not change on retry: the chat is gone or the bot is out of it. */
const PERMANENT = [/chat not found/i, /bot was blocked/i, /bot was kicked/i, /user is deactivated/i, /not enough rights/i, /have no rights/i, /group chat was upgraded/i, /can't parse entities/i, /message is too long/i];

/** A grammY failure as a SendError the dispatcher knows how to retry (or not). */
export function toSendError(error: unknown): SendError {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) {
      return new SendError(error.description, { retryAfterMs: (error.parameters.retry_after ?? 1) * 1000, cause: error });
    }
    if (error.error_code === 401) {
      return new SendError('Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN with @BotFather', { unauthorized: true, cause: error });
    }
    return new SendError(error.description, { permanent: PERMANENT.some((pattern) => pattern.test(error.description)), cause: error });
  }
  if (error instanceof HttpError) return new SendError(`Telegram unreachable: ${error.message}`, { cause: error });
  return new SendError(String(error), { cause: error });
}
