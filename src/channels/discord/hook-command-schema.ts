import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { ArgSpec, Command } from '../../commands/command.ts';
import { cutText } from '../../domain/truncate.ts';

export const HOOK_COMMAND = 'hook';
const DESCRIPTION_MAX = 100;

/** `/hook` with one subcommand per command and typed options, generated from the command list. */
export function buildHookCommand(commands: Command[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: HOOK_COMMAND,
    description: 'Create, mute and inspect webhook endpoints',
    options: commands.map((command) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: command.name,
      description: cutText(command.summary, DESCRIPTION_MAX),
      // Discord refuses an optional option before a required one (`find [endpoint] <query>`); the adapter reads options by name.
      options: [...command.args].sort((a, b) => Number(a.optional ?? false) - Number(b.optional ?? false)).map(option),
    })),
  };
}

function option(arg: ArgSpec) {
  const base = { name: arg.name, description: cutText(arg.description, DESCRIPTION_MAX), required: !arg.optional };
  if (arg.kind === 'count') return { ...base, type: ApplicationCommandOptionType.Integer as const, min_value: 1, max_value: 50 };
  if (arg.choices) return { ...base, type: ApplicationCommandOptionType.String as const, choices: arg.choices.map((choice) => ({ name: choice, value: choice })) };
  return { ...base, type: ApplicationCommandOptionType.String as const, ...(arg.kind === 'endpoint' ? { autocomplete: true } : {}) };
}
