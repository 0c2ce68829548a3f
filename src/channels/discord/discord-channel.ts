import { Client, Events, GatewayIntentBits, MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext, CommandFormatter } from '../../commands/command.ts';
import type { Message } from '../../domain/message.ts';
import type { Pace } from '../../notify/pacer.ts';
import { decodeAction } from '../button-action.ts';
import type { Channel } from '../channel.ts';
import type { ChannelDeps } from '../index.ts';
import { settledWithin } from '../settled-within.ts';
import { toSendError } from './discord-errors.ts';
import { createDiscordRestAgent } from './discord-rest-agent.ts';
import { buildHookCommand, HOOK_COMMAND } from './hook-command-schema.ts';
import { renderDiscord } from './render-discord.ts';

/** Defer when a command has not answered by then: Discord drops interactions unanswered after 3 s. */
const DEFER_AFTER_MS = 2000;
const AUTOCOMPLETE_MAX = 25;
/** Channel messages: about 5 per 5 s per channel. */
const CHANNEL_PACE: Pace = { window: { count: 5, ms: 5000 } };
/** How long a stop waits for a login under way (a destroy() during one leaves the session connected). */
const LOGIN_WAIT_MS = 10_000;

type Replyable = ChatInputCommandInteraction | ButtonInteraction;

/** The Discord bot on discord.js: the `/hook` slash command, buttons, and notifications as embeds. */
export function createDiscordChannel(deps: ChannelDeps): Channel {
  const { config, commands } = deps;
  const log = deps.logger.child({ channel: 'discord' });
  /** The client of the session this process runs (it leads), and its login under way or done. */
  let session: Client | undefined;
  let login: Promise<unknown> | undefined;
  const allowed = config.DISCORD_ALLOWED_CHATS && new Set(config.DISCORD_ALLOWED_CHATS);
  const notAllowed = (channelId: string) => `This channel may not use hookwatch. Its id is ${channelId}: the operator can add it to DISCORD_ALLOWED_CHATS.`;

  /** `/hook mute endpoint:stripe duration:2h`: Discord's own syntax, from the command's arguments. */
  const format: CommandFormatter = (name, args = []) => {
    const specs = commands.commands.find((command) => command.name === name)?.args ?? [];
    return [`/${HOOK_COMMAND} ${name}`, ...args.map((value, i) => `${specs[i]?.name ?? 'arg'}:${value}`)].join(' ');
  };
  const chatContext = (channelId: string): CommandContext => ({ chat: { platform: 'discord', chatId: channelId }, format });

  const payload = (message: Message) => {
    const { embeds, components, files, allowedMentions } = renderDiscord(message);
    return { embeds, components, files, allowedMentions };
  };

  /** Runs the command; answers within Discord's 3 s, deferring first when it takes longer. */
  async function answer(interaction: Replyable, run: () => Promise<Message>, likelyPrivate: boolean): Promise<void> {
    const reply = run();
    const early = await Promise.race([reply, new Promise<undefined>((resolve) => setTimeout(resolve, DEFER_AFTER_MS))]);
    if (early) {
      await interaction.reply({ ...payload(early), ...(early.private ? { flags: MessageFlags.Ephemeral } : {}) });
      return;
    }
    await interaction.deferReply(likelyPrivate ? { flags: MessageFlags.Ephemeral } : {});
    await interaction.editReply(payload(await reply));
  }

  async function onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    if (allowed && !allowed.has(interaction.channelId)) return void (await interaction.reply({ content: notAllowed(interaction.channelId), flags: MessageFlags.Ephemeral }));
    const name = interaction.options.getSubcommand();
    const command = commands.commands.find((candidate) => candidate.name === name);
    const args = (command?.args ?? []).map((arg) => interaction.options.get(arg.name)?.value).filter((value) => value !== undefined).map(String);
    await answer(interaction, () => commands.run(chatContext(interaction.channelId), name, args), command?.audience === 'caller');
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    if (allowed && !allowed.has(interaction.channelId)) return void (await interaction.reply({ content: notAllowed(interaction.channelId), flags: MessageFlags.Ephemeral }));
    const action = decodeAction(interaction.customId);
    if (!action) return void (await interaction.reply({ content: 'This button no longer works.', flags: MessageFlags.Ephemeral }));
    await answer(interaction, () => commands.run(chatContext(interaction.channelId), action.command, action.args), true);
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const command = commands.commands.find((candidate) => candidate.name === interaction.options.getSubcommand());
    const kind = command?.args.find((arg) => arg.name === focused.name)?.kind ?? 'word';
    const names = await commands.suggest(chatContext(interaction.channelId).chat, kind, String(focused.value));
    await interaction.respond(names.slice(0, AUTOCOMPLETE_MAX).map((name) => ({ name, value: name })));
  }

  /**
   * A new client for each start: a discord.js Client is not reusable (a second destroy() does nothing, so a
   * process that led twice kept its gateway session after losing leadership the second time).
   */
  function createClient(): Client {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds], // no privileged intents
      // `as never`: the agent is typed by @discordjs/rest's own undici, another copy than ours.
      rest: { api: config.DISCORD_API_URL, agent: createDiscordRestAgent() as never },
      allowedMentions: { parse: [], repliedUser: false },
    });
    client.on(Events.InteractionCreate, (interaction) => {
      const handled = interaction.isChatInputCommand() && interaction.commandName === HOOK_COMMAND
        ? onCommand(interaction)
        : interaction.isButton()
          ? onButton(interaction)
          : interaction.isAutocomplete()
            ? onAutocomplete(interaction)
            : Promise.resolve();
      handled.catch((error: unknown) => log.error({ err: error }, 'discord interaction failed'));
    });

    client.once(Events.ClientReady, (ready) => {
      const schema = buildHookCommand(commands.commands);
      const registration = config.DISCORD_GUILD_ID ? ready.application.commands.set([schema], config.DISCORD_GUILD_ID) : ready.application.commands.set([schema]);
      registration.then(
        () => log.info({ bot: ready.user.username, guild: config.DISCORD_GUILD_ID ?? 'global' }, 'discord /hook registered'),
        (error: unknown) => log.error({ err: error }, 'could not register the /hook command'),
      );
    });
    client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    return client;
  }

  return {
    platform: 'discord',
    async start() {
      session = createClient();
      // In the background: Discord being down must not stop the receiver.
      login = session.login(config.DISCORD_BOT_TOKEN!).catch((error: unknown) => log.error({ err: error }, `discord login failed: ${toSendError(error).message}`));
    },
    async send(chatId, message) {
      // Rendered first: a message that cannot be made is not a network failure (the dispatcher tells them apart).
      const rendered = payload(message);
      try {
        if (!session) throw new Error('the Discord client is not started in this process');
        const channel = await session.channels.fetch(chatId);
        if (!channel?.isSendable()) throw new Error(`channel ${chatId} does not take messages`);
        await channel.send(rendered);
      } catch (error) {
        throw toSendError(error);
      }
    },
    pace: () => ({ chat: CHANNEL_PACE }),
    async stop() {
      const stopping = session;
      session = undefined;
      await settledWithin(login, LOGIN_WAIT_MS);
      await stopping?.destroy();
    },
  };
}
