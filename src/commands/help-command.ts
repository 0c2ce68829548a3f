import type { Message } from '../domain/message.ts';
import { UsageError, usageOf, type Command, type CommandFormatter } from './command.ts';

/** Help is generated from the command list, so it cannot drift from what the commands accept. */
export function createHelpCommand(commands: () => Command[]): Command {
  return {
    name: 'help',
    audience: 'caller',
    summary: 'this list, or one command in detail',
    args: [{ name: 'command', kind: 'word', optional: true, description: 'a command name' }],
    examples: [[], ['mute']],
    async run({ args, ctx }) {
      const all = commands();
      if (args[0] === undefined) {
        return {
          title: 'hookwatch commands',
          lines: all.map((command) => `${usageOf(command, ctx.format)} — ${command.summary}`),
          fields: [{ label: 'Examples', value: all.flatMap((command) => command.examples.slice(0, 1).map((example) => ctx.format(command.name, example))).join('\n') }],
        };
      }
      const command = all.find((candidate) => candidate.name === args[0]!.toLowerCase().replace(/^\//, ''));
      if (!command) throw new UsageError(`There is no command "${args[0]}". ${ctx.format('help')} lists them.`);
      return describeCommand(command, ctx.format);
    },
  };
}

export function describeCommand(command: Command, format: CommandFormatter): Message {
  return {
    title: usageOf(command, format),
    lines: [command.summary, ...command.args.map((arg) => `${arg.label ?? arg.name}: ${arg.description}`)],
    fields: [{ label: 'Examples', value: command.examples.map((example) => format(command.name, example)).join('\n') }],
  };
}
