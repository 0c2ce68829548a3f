import type { Router } from 'express';
import type { CommandRunner } from '../commands/run-command.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Channel } from './channel.ts';
import { createConsoleChannel, type ConsoleStreams } from './console/console-channel.ts';
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
];

/** Spec section 1: the console chat runs when no platform is configured. */
const consoleDefinition: ChannelDefinition = {
  platform: 'console',
  isConfigured: () => true,
  create: (deps) => createConsoleChannel(deps, deps.console),
};

/** Platforms whose variables are in the spec but whose adapter is not in this version yet. */
const PLANNED = [
  { platform: 'discord', isConfigured: (config: Config) => config.DISCORD_BOT_TOKEN !== undefined },
];

export function createChannels(deps: ChannelDeps): Channel[] {
  for (const planned of PLANNED) {
    if (planned.isConfigured(deps.config)) deps.logger.warn({ platform: planned.platform }, `${planned.platform} is configured but not supported by this version yet; ignoring it`);
  }
  const platforms = definitions.filter((definition) => definition.isConfigured(deps.config));
  return (platforms.length > 0 ? platforms : [consoleDefinition]).map((definition) => definition.create(deps));
}
