import { App, ExpressReceiver, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { CommandContext } from '../../commands/command.ts';
import type { Message } from '../../domain/message.ts';
import { decodeAction } from '../button-action.ts';
import type { Channel } from '../channel.ts';
import type { ChannelDeps } from '../index.ts';
import { settledWithin } from '../settled-within.ts';
import { createBoltLogger } from './bolt-logger.ts';
import { ACTION_PREFIX, modalTitle, renderSlack } from './render-slack.ts';
import { toSendError } from './slack-errors.ts';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_COMMAND = '/hook';

/** How long a stop waits for a start under way (its socket connecting). */
const START_WAIT_MS = 10_000;

const format = (name: string, args: string[] = []) => [SLACK_COMMAND, name, ...args].join(' ');

interface Surface {
  respond: RespondFn;
  client: WebClient;
  triggerId: string | undefined;
  channelId: string;
}

/**
 * The Slack app on Bolt: `/hook <command>` and buttons arrive at $PUBLIC_URL/slack/events (signed
 * requests, checked by Bolt) or over Socket Mode when SLACK_APP_TOKEN is set.
 */
export function createSlackChannel(deps: ChannelDeps): Channel {
  const { config, commands } = deps;
  const log = deps.logger.child({ channel: 'slack' });
  const logger = createBoltLogger(log);
  // A timeout (the Web API client has none by default): a connection Slack never answers would hold the channel's queue.
  // A 429 comes back as an error rather than being slept on inside the client, so the dispatcher waits its
  // Retry-After with the channel's queue in view (and merges what piles up meanwhile).
  const clientOptions = { slackApiUrl: config.SLACK_API_URL, timeout: 30_000, rejectRateLimitedCalls: true, retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 } };
  // Socket Mode's own Web API client keeps its retries (up to 100, 1 s apart and growing by 1.3) and sleeps a 429:
  // Socket Mode takes an HTTP error from apps.connections.open as final, so with the sender's one retry two failures
  // (a 5xx from Slack) stopped a start for good (a new leader never connected) and left a reconnect's rejection unhandled.
  const socketClientOptions = { slackApiUrl: config.SLACK_API_URL, timeout: 30_000 };
  const socketMode = config.SLACK_APP_TOKEN !== undefined;
  const receiver = socketMode ? undefined : new ExpressReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, endpoints: SLACK_EVENTS_PATH, logger });
  const app = new App({
    token: config.SLACK_BOT_TOKEN!,
    logger,
    clientOptions,
    deferInitialization: true,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.SLACK_APP_TOKEN!, installerOptions: { clientOptions: socketClientOptions } }),
  });
  /** The leader's start under way or done: a stop in the middle of it would leave the socket open. */
  let starting: Promise<void> | undefined;
  /** Between a start and a stop: a start that outlasts the stop's wait (Socket Mode retrying apps.connections.open) closes its socket itself. */
  let leading = false;
  /**
   * Bolt handles nothing before `init()` (its auth.test). Once, shared by the leader's start and the first
   * request: every process answers HTTP commands, leading or not. A failed one is tried again by the next.
   */
  let initializing: Promise<void> | undefined;
  const initialized = () => (initializing ??= app.init().catch((error: unknown) => {
    initializing = undefined;
    throw error;
  }));
  if (receiver) {
    deps.http.use(SLACK_EVENTS_PATH, function initializeSlackApp(_req, res, next) {
      initialized().then(() => next(), (error: unknown) => {
        log.error({ err: error }, `slack request not handled: ${toSendError(error).message}`);
        res.status(503).send('hookwatch could not reach Slack yet');
      });
    });
    deps.http.use(receiver.router);
  }

  const allowed = config.SLACK_ALLOWED_CHATS && new Set(config.SLACK_ALLOWED_CHATS);
  const notAllowed = (channelId: string) => `This channel may not use hookwatch. Its id is ${channelId}: the operator can add it to SLACK_ALLOWED_CHATS.`;
  const chatContext = (channelId: string): CommandContext => ({ chat: { platform: 'slack', chatId: channelId }, format });

  app.command(SLACK_COMMAND, async ({ command, ack, respond, client }) => {
    await ack(); // within Slack's 3 s, before any store work
    const surface = { respond, client, triggerId: command.trigger_id, channelId: command.channel_id };
    if (allowed && !allowed.has(command.channel_id)) return void (await respond({ response_type: 'ephemeral', text: notAllowed(command.channel_id) }));
    await present(await commands.runLine(chatContext(command.channel_id), command.text.trim() || 'help'), surface);
  });

  app.action({ type: 'block_actions', action_id: new RegExp(`^${ACTION_PREFIX}`) }, async ({ ack, body, action, respond, client }) => {
    await ack();
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const decoded = decodeAction('value' in action && typeof action.value === 'string' ? action.value : '');
    if (!channelId || !decoded) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: 'This button no longer works.' }));
    if (allowed && !allowed.has(channelId)) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: notAllowed(channelId) }));
    const reply = await commands.run(chatContext(channelId), decoded.command, decoded.args);
    await present(reply, { respond, client, triggerId: body.trigger_id, channelId });
  });

  app.error(async (error) => log.error({ err: error }, 'slack request failed'));

  /** A reply where it belongs: details (payload, headers, curl) in a modal or as a file; the rest in the channel or to the caller. */
  async function present(reply: Message, surface: Surface): Promise<void> {
    if (!reply.attachment) {
      const { text, blocks } = renderSlack(reply);
      await surface.respond({ response_type: reply.private ? 'ephemeral' : 'in_channel', replace_original: false, text, blocks });
      // A file cannot be ephemeral: the picture (a chart of counts, no payload) is shared in the channel.
      if (reply.image) await upload({ filename: reply.image.filename, bytes: reply.image.png }, reply.title, surface);
      return;
    }
    const modal = renderSlack(reply, 'modal');
    const needsFile = reply.attachment.when === 'always' || !modal.complete;
    const link = needsFile ? await upload(reply.attachment, reply.title, surface) : undefined;
    const shown: Message = link ? { ...reply, lines: [...(reply.lines ?? []), `The whole content is uploaded as ${reply.attachment.filename}: ${link}`] } : reply;
    const view = link ? renderSlack(shown, 'modal') : modal;
    try {
      if (!surface.triggerId) throw new Error('no trigger_id');
      await surface.client.views.open({ trigger_id: surface.triggerId, view: { type: 'modal', title: { type: 'plain_text', text: modalTitle(reply) }, close: { type: 'plain_text', text: 'Close' }, blocks: view.blocks } });
    } catch (error) {
      log.warn({ err: error }, 'could not open a modal; answering in the channel instead');
      const { text, blocks } = renderSlack(shown);
      await surface.respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
    }
  }

  async function upload({ filename, bytes }: { filename: string; bytes: Buffer }, comment: string, surface: Surface): Promise<string> {
    const result = await surface.client.files.uploadV2({ channel_id: surface.channelId, filename, title: filename, file: bytes, initial_comment: comment });
    const files = (result as { files?: Array<{ files?: Array<{ permalink?: string }> }> }).files ?? [];
    return files[0]?.files?.[0]?.permalink ?? filename;
  }

  return {
    platform: 'slack',
    async start() {
      leading = true;
      starting = (async () => {
        await initialized();
        if (socketMode) await app.start();
        if (socketMode && !leading) return void (await app.stop());
        log.info({ socketMode }, 'slack app ready');
      })().catch((error: unknown) => log.error({ err: error }, `slack stopped: ${toSendError(error).message}`));
    },
    async send(chatId, message) {
      const { text, blocks } = renderSlack(message);
      try {
        await app.client.chat.postMessage({ channel: chatId, text, blocks, unfurl_links: false, unfurl_media: false });
      } catch (error) {
        throw toSendError(error);
      }
    },
    /** chat.postMessage: about one message a second per channel. */
    pace: () => ({ chat: { minIntervalMs: 1000 } }),
    async stop() {
      leading = false;
      if (!socketMode) return;
      await settledWithin(starting, START_WAIT_MS);
      await app.stop();
    },
  };
}
