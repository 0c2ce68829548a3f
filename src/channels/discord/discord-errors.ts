import { DiscordAPIError } from 'discord.js';
import { SendError } from '../channel.ts';

/** Unknown Channel, Missing Access, Cannot DM this user, Missing Permissions, Invalid Form Body. */
const PERMANENT_CODES = new Set([10003, 50001, 50007, 50013, 50035]);

/** A REST failure as a SendError the dispatcher knows how to retry (or not). */
export function toSendError(error: unknown): SendError {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return new SendError('Discord refused the bot token (401): check DISCORD_BOT_TOKEN in the Developer Portal, Bot tab', { unauthorized: true, cause: error });
    return new SendError(`Discord: ${error.message}`, { permanent: PERMANENT_CODES.has(Number(error.code)), cause: error });
  }
  return new SendError(`Discord unreachable: ${String(error)}`, { cause: error });
}
