import { DiscordAPIError } from 'discord.js';
import { SendError } from '../channel.ts';

/** Unknown Channel, Missing Access, Cannot DM this user, Missing Permissions. */
const PERMANENT_CODES = new Set([10003, 50001, 50007, 50013]);

/** A REST failure as a SendError the dispatcher knows how to retry (or not). */
export function toSendError(error: unknown): SendError {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return new SendError('Discord refused the bot token (401): check DISCORD_BOT_TOKEN in the Developer Portal, Bot tab', { unauthorized: true, cause: error });
    if (PERMANENT_CODES.has(Number(error.code))) return new SendError(`Discord: ${error.message}`, { permanent: true, cause: error });
    // Any other 4xx (50035 Invalid Form Body, 50006 Cannot send an empty message) is about this message.
    const aboutTheMessage = error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
    return new SendError(`Discord: ${error.message}`, { malformed: aboutTheMessage, cause: error });
  }
  return new SendError(`Discord unreachable: ${String(error)}`, { cause: error });
}
