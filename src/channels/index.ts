import type { Router } from 'express';
import type { CommandRunner } from '../commands/run-command.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Channel } from './channel.ts';
import { createConsoleChannel, type ConsoleStreams } from './console/console-channel.ts';
import { createDiscordChannel } from './discord/discord-channel.ts';
import { createSlackChannel } from './slack/slack-channel.ts';
import { createTelegramChannel } from './telegram/telegram-channel.ts';

export interface ChannelDeps {
  config: Config;
  commands: CommandRunner;
  logger: Logger;
  console: ConsoleStreams;
  /** Where a platform mounts its own HTTP endpoints (webhooks, interactivity) on the service's port. */
  http: Router;
}

interface ChannelDefinition {
  platform: string;
  isConfigured(config: Config): boolean;
  create(deps: ChannelDeps): Channel;
}

/** The one registry: a platform is on when its token is set. Adding one is one entry here. */
const definitions: ChannelDefinition[] = [
  { platform: 'telegram', isConfigured: (config) => config.TELEGRAM_BOT_TOKEN !== undefined, create: createTelegramChannel },
  { platform: 'slack', isConfigured: (config) => config.SLACK_BOT_TOKEN !== undefined, create: createSlackChannel },
  { platform: 'discord', isConfigured: (config) => config.DISCORD_BOT_TOKEN !== undefined, create: createDiscordChannel },
];

/** Spec section 1: the console chat runs when no platform is configured. */
const consoleDefinition: ChannelDefinition = {
  platform: 'console',
  isConfigured: () => true,
  create: (deps) => createConsoleChannel(deps, deps.console),
};

export function createChannels(deps: ChannelDeps): Channel[] {
  const platforms = definitions.filter((definition) => definition.isConfigured(deps.config));
  return (platforms.length > 0 ? platforms : [consoleDefinition]).map((definition) => definition.create(deps));
}
