import { ackCommand } from './ack-command.ts';
import { alertsCommand } from './alerts-command.ts';
import { attemptsCommand } from './attempts-command.ts';
import type { Command } from './command.ts';
import { curlCommand } from './curl-command.ts';
import { diffCommand } from './diff-command.ts';
import { deleteCommand } from './delete-command.ts';
import { digestCommand } from './digest-command.ts';
import { expectCommand } from './expect-command.ts';
import { findCommand } from './find-command.ts';
import { forwardCommand } from './forward-command.ts';
import { headersCommand } from './headers-command.ts';
import { createHelpCommand } from './help-command.ts';
import { lastCommand } from './last-command.ts';
import { listCommand } from './list-command.ts';
import { muteCommand } from './mute-command.ts';
import { newCommand } from './new-command.ts';
import { payloadCommand } from './payload-command.ts';
import { renameCommand } from './rename-command.ts';
import { sampleCommand } from './sample-command.ts';
import { replayCommand } from './replay-command.ts';
import { secretCommand } from './secret-command.ts';
import { statsCommand } from './stats-command.ts';
import { showCommand } from './show-command.ts';
import { unmuteCommand } from './unmute-command.ts';
import { unwatchCommand } from './unwatch-command.ts';
import { watchCommand } from './watch-command.ts';
import { watchesCommand } from './watches-command.ts';

/** The one list of commands: help, Telegram's menu, Slack's manifest and Discord's schema come from it. */
export const commandList: Command[] = [
  newCommand,
  listCommand,
  showCommand,
  lastCommand,
  findCommand,
  statsCommand,
  payloadCommand,
  headersCommand,
  curlCommand,
  muteCommand,
  unmuteCommand,
  renameCommand,
  secretCommand,
  sampleCommand,
  deleteCommand,
  digestCommand,
  expectCommand,
  alertsCommand,
  ackCommand,
  forwardCommand,
  replayCommand,
  attemptsCommand,
  watchCommand,
  watchesCommand,
  unwatchCommand,
  diffCommand,
  createHelpCommand(() => commandList),
];
