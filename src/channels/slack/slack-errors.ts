import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { SendError } from '../channel.ts';

/** Web API errors that will not change on retry: the channel or the token is wrong. */
const PERMANENT = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'restricted_action']);
/** Slack's own trouble, worth a retry. Any other error is about the message (invalid_blocks, msg_too_long, no_text). */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** A Web API failure as a SendError the dispatcher knows how to retry (or not). */
export function toSendError(error: unknown): SendError {
  if (error instanceof WebAPIRateLimitedError) return new SendError('Slack rate limit', { retryAfterMs: error.retryAfter * 1000, cause: error });
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data.error);
    if (code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked') {
      return new SendError('Slack refused the bot token: check SLACK_BOT_TOKEN (OAuth & Permissions, "Bot User OAuth Token")', { unauthorized: true, cause: error });
    }
    return new SendError(`Slack: ${code}`, { permanent: PERMANENT.has(code), malformed: !PERMANENT.has(code) && !TRANSIENT.has(code), cause: error });
  }
  return new SendError(`Slack unreachable: ${String(error)}`, { cause: error });
}
