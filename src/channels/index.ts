import type { Router } from 'express';
import type { CommandRunner } from '../commands/run-command.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ChatPacing } from '../notify/chat-pacing.ts';
import type { Channel } from './channel.ts';
import { createConsoleChannel, type ConsoleStreams } from './console/console-channel.ts';

export interface ChannelDeps {
  config: Config;
  commands: CommandRunner;
  /** Each chat's turn to be sent to: command replies that are chat messages take it too. */
  pacing: ChatPacing;
  logger: Logger;
  console: ConsoleStreams;
  /** Where a platform mounts its own HTTP endpoints (webhooks, interactivity) on the service's port. */
  http: Router;
}

type CreateChannel = (deps: ChannelDeps) => Channel;

interface ChannelDefinition {
  platform: string;
  isConfigured(config: Config): boolean;
  /** Imported only when configured: each SDK costs 20-55 MB of memory once loaded. */
  load(): Promise<CreateChannel>;
}

/** The one registry: a platform is on when its token is set. Adding one is one entry here. */
const definitions: ChannelDefinition[] = [
  {
    platform: 'telegram',
    isConfigured: (config) => config.TELEGRAM_BOT_TOKEN !== undefined,
    load: async () => (await import('./telegram/telegram-channel.ts')).createTelegramChannel,
  },
  {
    platform: 'slack',
    isConfigured: (config) => config.SLACK_BOT_TOKEN !== undefined,
    load: async () => (await import('./slack/slack-channel.ts')).createSlackChannel,
  },
  {
    platform: 'discord',
    isConfigured: (config) => config.DISCORD_BOT_TOKEN !== undefined,
    load: async () => (await import('./discord/discord-channel.ts')).createDiscordChannel,
  },
];

/** Spec section 1: the console chat runs when no platform is configured. */
const consoleDefinition: ChannelDefinition = {
  platform: 'console',
  isConfigured: () => true,
  load: async () => (deps) => createConsoleChannel(deps, deps.console),
};

/** Whether the console chat runs: it then owns standard input and output. */
export function consoleChatRuns(config: Config): boolean {
  return !definitions.some((definition) => definition.isConfigured(config));
}

export async function createChannels(deps: ChannelDeps): Promise<Channel[]> {
  const platforms = definitions.filter((definition) => definition.isConfigured(deps.config));
  const creators = await Promise.all((platforms.length > 0 ? platforms : [consoleDefinition]).map((definition) => definition.load()));
  return creators.map((create) => create(deps));
}
