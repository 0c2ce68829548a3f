import { autoRetry } from '@grammyjs/auto-retry';
import express from 'express';
import { Bot, InputFile, webhookCallback } from 'grammy';
import type { CommandContext } from '../../commands/command.ts';
import type { Message } from '../../domain/message.ts';
import { cutText } from '../../domain/truncate.ts';
import type { ChatPace, Pace } from '../../notify/pacer.ts';
import { decodeAction } from '../button-action.ts';
import type { Channel } from '../channel.ts';
import type { ChannelDeps } from '../index.ts';
import { renderTelegram } from './render-telegram.ts';
import { toSendError } from './telegram-errors.ts';

export const TELEGRAM_WEBHOOK_PATH = '/telegram';
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const ANSWER_MAX = 200;
/** Bot FAQ: about one message a second per chat, 20 a minute per group, 30 a second in all. */
const PRIVATE_PACE: Pace = { minIntervalMs: 1000 };
const GROUP_PACE: Pace = { minIntervalMs: 1000, window: { count: 20, ms: 60_000 } };
const GLOBAL_PACE: Pace = { window: { count: 30, ms: 1000 } };
/** Group chats have negative ids. */
const paceOf = (chatId: string): ChatPace => ({ chat: chatId.startsWith('-') ? GROUP_PACE : PRIVATE_PACE, platform: GLOBAL_PACE });

const format = (name: string, args: string[] = []) => [`/${name}`, ...args].join(' ');
const welcome = (help: Message): Message => ({
  ...help,
  title: 'Welcome to hookwatch',
  lines: ['I watch webhook URLs and tell this chat about every delivery. Create one with /new <name>, then point a sender at its URL.', ...(help.lines ?? [])],
});

/** The Telegram bot on grammY: long polling, or a webhook at $PUBLIC_URL/telegram when a secret is set. */
export function createTelegramChannel(deps: ChannelDeps): Channel {
  const { config, commands } = deps;
  const log = deps.logger.child({ channel: 'telegram' });
  // 60 s rather than grammY's 500, so a request Telegram never answers holds a chat's queue a minute at most;
  // still above long polling's 30 s getUpdates.
  const bot = new Bot(config.TELEGRAM_BOT_TOKEN!, { client: { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: 60 } });
  // A 429 is waited out inside grammY (a few times, never long), so command replies survive a short flood
  // limit too. 5xx and network failures go back to the dispatcher, whose backoff spans restarts and stops.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  const allowed = config.TELEGRAM_ALLOWED_CHATS && new Set(config.TELEGRAM_ALLOWED_CHATS);
  const isAllowed = (chatId: number) => !allowed || allowed.has(String(chatId));
  const notAllowed = (chatId: number) => `This chat may not use this bot. Its chat id is ${chatId}: the operator can add it to TELEGRAM_ALLOWED_CHATS.`;
  const chatContext = (chatId: number): CommandContext => ({ chat: { platform: 'telegram', chatId: String(chatId) }, format });

  async function deliver(chatId: number | string, message: Message): Promise<void> {
    const out = renderTelegram(message);
    const reply_markup = out.keyboard;
    if (out.photo) {
      await bot.api.sendPhoto(chatId, new InputFile(out.photo.bytes, out.photo.filename), { caption: out.html, parse_mode: 'HTML', ...(reply_markup ? { reply_markup } : {}) });
    } else if (out.document) {
      await bot.api.sendDocument(chatId, new InputFile(out.document.bytes, out.document.filename), { caption: out.html, parse_mode: 'HTML', ...(reply_markup ? { reply_markup } : {}) });
    } else {
      await bot.api.sendMessage(chatId, out.html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(reply_markup ? { reply_markup } : {}) });
    }
  }

  /**
   * A reply is a chat message like a notification, so it takes the chat's turn (waiting at most a send or
   * two under a burst). Not awaited: updates are handled one at a time, and one chat's wait must not hold another's.
   */
  function reply(chatId: number, message: Message): void {
    deps.pacing
      .turn({ platform: 'telegram', chatId: String(chatId) }, paceOf(String(chatId)), () => deliver(chatId, message))
      .catch((error: unknown) => log.error({ err: error, chatId }, 'telegram reply failed'));
  }

  bot.on('message:migrate_to_chat_id', async (ctx) => {
    const to = ctx.message.migrate_to_chat_id;
    const moved = await commands.moveChat(chatContext(ctx.chat.id).chat, chatContext(to).chat);
    log.info({ from: ctx.chat.id, to, moved }, 'group upgraded to a supergroup; its endpoints moved with it');
  });

  bot.on('message:text', async (ctx) => {
    const { text } = ctx.message;
    const chatId = ctx.chat.id;
    if (!text.startsWith('/')) {
      if (ctx.chat.type === 'private') reply(chatId, { title: 'Commands start with /', lines: ['/help lists them all.'] });
      return;
    }
    const addressee = /^\/\w+@(\w+)/.exec(text)?.[1];
    if (addressee && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) return; // another bot's command in a group
    if (!isAllowed(chatId)) return void (await bot.api.sendMessage(chatId, notAllowed(chatId)));
    // Every Telegram user's first message: answered with the command list rather than "Unknown command".
    if (/^\/start(@\w+)?(\s|$)/.test(text)) return reply(chatId, welcome(await commands.run(chatContext(chatId), 'help', [])));
    reply(chatId, await commands.runLine(chatContext(chatId), text));
  });

  bot.on('callback_query:data', async (ctx) => {
    const chatId = ctx.callbackQuery.message?.chat.id;
    const action = decodeAction(ctx.callbackQuery.data);
    if (chatId === undefined || !action) return void (await ctx.answerCallbackQuery({ text: 'This button no longer works.' }));
    if (!isAllowed(chatId)) return void (await ctx.answerCallbackQuery({ text: cutText(notAllowed(chatId), ANSWER_MAX) }));
    const answer = await commands.run(chatContext(chatId), action.command, action.args);
    // A mistake (the delivery or endpoint is gone) is a short pop-up, not a new message in the chat.
    if (answer.tone === 'warning') return void (await ctx.answerCallbackQuery({ text: cutText(answer.title, ANSWER_MAX), show_alert: true }));
    await ctx.answerCallbackQuery();
    reply(chatId, answer);
  });

  bot.catch((error) => log.error({ err: error.error, updateId: error.ctx.update.update_id }, 'telegram update failed'));

  if (config.TELEGRAM_WEBHOOK_SECRET) {
    deps.http.post(
      TELEGRAM_WEBHOOK_PATH,
      express.json({ limit: '1mb' }),
      webhookCallback(bot, 'express', { secretToken: config.TELEGRAM_WEBHOOK_SECRET, onTimeout: 'return', timeoutMilliseconds: 9000 }),
    );
  }

  /**
   * Counts starts and stops: a connect goes on only while no stop came after its start (leadership lost
   * just after it was gained), so a stopped channel never begins polling once its registration answers.
   */
  let session = 0;

  /** Registration and polling run in the background: Telegram being down must not stop the receiver. */
  async function connect(started: number): Promise<void> {
    await bot.init();
    await bot.api.setMyCommands(commands.commands.map((command) => ({ command: command.name, description: cutText(command.summary, 256) })));
    if (started !== session) return;
    if (config.TELEGRAM_WEBHOOK_SECRET) {
      await bot.api.setWebhook(`${config.PUBLIC_URL}${TELEGRAM_WEBHOOK_PATH}`, { secret_token: config.TELEGRAM_WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES] });
      log.info({ bot: bot.botInfo.username }, 'telegram webhook set');
    } else {
      void bot.start({ allowed_updates: [...ALLOWED_UPDATES], onStart: (me) => log.info({ bot: me.username }, 'telegram long polling') }).catch(reportFailure);
    }
  }

  function reportFailure(error: unknown): void {
    const sendError = toSendError(error);
    log.error({ err: error }, `telegram stopped: ${sendError.message}`);
  }

  return {
    platform: 'telegram',
    async start() {
      session += 1;
      void connect(session).catch(reportFailure);
    },
    async send(chatId, message) {
      try {
        await deliver(chatId, message);
      } catch (error) {
        throw toSendError(error);
      }
    },
    pace: paceOf,
    async stop() {
      session += 1;
      if (bot.isRunning()) await bot.stop();
    },
  };
}
