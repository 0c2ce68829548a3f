import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { ArgSpec, Command } from '../../commands/command.ts';
import { cutText } from '../../domain/truncate.ts';

export const HOOK_COMMAND = 'hook';
const DESCRIPTION_MAX = 100;

/** Discord allows 25 options on a command, and 25 subcommands in a group. */
const OPTIONS_MAX = 25;
export const MORE_GROUP = 'more';

/**
 * `/hook` with one subcommand per command and typed options, generated from the command list. Past 25
 * commands, the 25th place is a group, `/hook more <command>`, holding the rest (the adapter reads the
 * subcommand's name either way).
 */
export function buildHookCommand(commands: Command[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const fits = commands.length <= OPTIONS_MAX;
  const direct = fits ? commands : commands.slice(0, OPTIONS_MAX - 1);
  const rest = fits ? [] : commands.slice(OPTIONS_MAX - 1);
  if (rest.length > OPTIONS_MAX) throw new Error(`Discord takes at most ${2 * OPTIONS_MAX - 1} commands in /${HOOK_COMMAND}; there are ${commands.length}`);
  return {
    name: HOOK_COMMAND,
    description: 'Create, mute and inspect webhook endpoints',
    options: [
      ...direct.map(subcommand),
      ...(rest.length > 0 ? [{ type: ApplicationCommandOptionType.SubcommandGroup as const, name: MORE_GROUP, description: `More commands: ${rest.map((command) => command.name).join(', ')}`.slice(0, DESCRIPTION_MAX), options: rest.map(subcommand) }] : []),
    ],
  };
}

function subcommand(command: Command) {
  return {
    type: ApplicationCommandOptionType.Subcommand as const,
    name: command.name,
    description: cutText(command.summary, DESCRIPTION_MAX),
    // Discord refuses an optional option before a required one (`find [endpoint] <query>`); the adapter reads options by name.
    options: [...command.args].sort((a, b) => Number(a.optional ?? false) - Number(b.optional ?? false)).map(option),
  };
}

function option(arg: ArgSpec) {
  const base = { name: arg.name, description: cutText(arg.description, DESCRIPTION_MAX), required: !arg.optional };
  if (arg.kind === 'count') return { ...base, type: ApplicationCommandOptionType.Integer as const, min_value: 1, max_value: 50 };
  if (arg.choices) return { ...base, type: ApplicationCommandOptionType.String as const, choices: arg.choices.map((choice) => ({ name: choice, value: choice })) };
  return { ...base, type: ApplicationCommandOptionType.String as const, ...(arg.kind === 'endpoint' ? { autocomplete: true } : {}) };
}
