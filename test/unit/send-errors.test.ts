import { DiscordAPIError } from 'discord.js';
import { GrammyError, HttpError } from 'grammy';
import { WebAPIPlatformError, WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { SendError } from '../../src/channels/channel.ts';
import { toSendError as discordError } from '../../src/channels/discord/discord-errors.ts';
import { toSendError as slackError } from '../../src/channels/slack/slack-errors.ts';
import { toSendError as telegramError } from '../../src/channels/telegram/telegram-errors.ts';

type Kind = 'transient' | 'malformed' | 'permanent';
const kindOf = (error: SendError): Kind => (error.permanent ? 'permanent' : error.malformed ? 'malformed' : 'transient');

const telegram = (code: number, description: string) => new GrammyError(`Call to 'sendMessage' failed! (${code}: ${description})`, { ok: false, error_code: code, description }, 'sendMessage', {});
const slack = (error: string) => new WebAPIPlatformError({ ok: false, error });
const discord = (status: number, code: number, message: string) => new DiscordAPIError({ code, message }, code, status, 'POST', '/channels/1/messages', { body: {} });

const cases: Array<[string, Kind, () => SendError]> = [
  ["Telegram 400 can't parse entities", 'malformed', () => telegramError(telegram(400, "Bad Request: can't parse entities: Unsupported start tag"))],
  ['Telegram 400 message is too long', 'malformed', () => telegramError(telegram(400, 'Bad Request: message is too long'))],
  ['Telegram 400 chat not found', 'permanent', () => telegramError(telegram(400, 'Bad Request: chat not found'))],
  ['Telegram 403 bot was blocked', 'permanent', () => telegramError(telegram(403, 'Forbidden: bot was blocked by the user'))],
  ['Telegram 502', 'transient', () => telegramError(telegram(502, 'Bad Gateway'))],
  ['Telegram 429', 'transient', () => telegramError(telegram(429, 'Too Many Requests: retry after 3'))],
  ['Telegram unreachable', 'transient', () => telegramError(new HttpError('Network request failed', new Error('ECONNREFUSED')))],
  ['a renderer throwing under Telegram', 'malformed', () => telegramError(new RangeError('Maximum call stack size exceeded'))],
  ['Slack invalid_blocks', 'malformed', () => slackError(slack('invalid_blocks'))],
  ['Slack msg_too_long', 'malformed', () => slackError(slack('msg_too_long'))],
  ['Slack channel_not_found', 'permanent', () => slackError(slack('channel_not_found'))],
  ['Slack internal_error', 'transient', () => slackError(slack('internal_error'))],
  ['Slack unreachable', 'transient', () => slackError(new WebAPIRequestError(new Error('ECONNRESET')))],
  ['Discord 50035 Invalid Form Body', 'malformed', () => discordError(discord(400, 50035, 'Invalid Form Body'))],
  ['Discord 10003 Unknown Channel', 'permanent', () => discordError(discord(404, 10003, 'Unknown Channel'))],
  ['Discord 500', 'transient', () => discordError(discord(500, 0, 'Internal Server Error'))],
  ['Discord unreachable', 'transient', () => discordError(new Error('connect ECONNREFUSED'))],
];

describe('send errors: retried only when transient', () => {
  it.each(cases)('%s is %s', (_name, kind, make) => {
    expect(kindOf(make())).toBe(kind);
  });
});
