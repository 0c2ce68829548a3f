import { chatKey, type ChatRef } from '../domain/chat.ts';
import type { Message } from '../domain/message.ts';
import type { Logger } from '../logger.ts';
import { createKeyedSerial } from '../shared/keyed-serial.ts';
import { closestWord } from './closest-word.ts';
import { UsageError, usageOf, type ArgSpec, type Command, type CommandContext, type CommandServices } from './command.ts';
import { commandList } from './command-list.ts';
import { parseCommandLine } from './parse-command-line.ts';

export type CommandRunner = ReturnType<typeof createCommandRunner>;

/**
 * The single entry point every chat adapter calls: validates, runs one command at a time per
 * chat (so two quick `new` in one chat cannot race), and turns mistakes into helpful replies.
 */
export function createCommandRunner(services: CommandServices, logger: Logger, commands: Command[] = commandList) {
  const byName = new Map(commands.map((command) => [command.name, command]));
  const serial = createKeyedSerial();

  async function execute(ctx: CommandContext, name: string, args: string[]): Promise<Message> {
    const command = byName.get(name.toLowerCase());
    if (!command) {
      const guess = closestWord(name.toLowerCase(), [...byName.keys()]);
      const hint = guess ? `Did you mean ${ctx.format(guess)}? ` : '';
      return warning(`Unknown command "${name}".`, `${hint}${ctx.format('help')} lists every command.`);
    }
    if (command.args.at(-1)?.rest && args.length > command.args.length) {
      args = [...args.slice(0, command.args.length - 1), args.slice(command.args.length - 1).join(' ')];
    }
    const required = command.args.filter((arg) => !arg.optional).length;
    if (args.length < required || args.length > command.args.length) {
      const example = command.examples[0];
      return warning(`Usage: ${usageOf(command, ctx.format)}`, example ? `For example: ${ctx.format(command.name, example)}` : command.summary);
    }
    try {
      const reply = await command.run({ args, ctx, services });
      return command.audience === 'caller' ? { ...reply, private: true } : reply;
    } catch (error) {
      if (error instanceof UsageError) return warning(error.message);
      logger.error({ err: error, command: name, chat: chatKey(ctx.chat) }, 'command failed');
      return { title: 'Something went wrong on our side', tone: 'danger', lines: ['The error was logged. Try again in a moment.'] };
    }
  }

  return {
    commands,
    /** Runs a command given as a name and arguments (Discord options, button actions). */
    run(ctx: CommandContext, name: string, args: string[]): Promise<Message> {
      return serial(chatKey(ctx.chat), () => execute(ctx, name, args));
    },
    /** Values a platform can offer while an argument is typed (Discord autocomplete): this chat's endpoint names. */
    async suggest(chat: ChatRef, kind: ArgSpec['kind'], typed: string): Promise<string[]> {
      if (kind !== 'endpoint') return [];
      const names = (await services.endpoints.listForChat(chat)).map((endpoint) => endpoint.name);
      return names.filter((name) => name.startsWith(typed.toLowerCase()));
    },
    /** A chat whose id changed (a Telegram group upgraded to a supergroup) keeps its endpoints; in the old chat's command order. */
    moveChat(from: ChatRef, to: ChatRef): Promise<number> {
      return serial(chatKey(from), () => services.endpoints.moveChat(from, to));
    },
    /** Runs a typed line: `/mute stripe 2h`, `mute stripe 2h`. */
    runLine(ctx: CommandContext, text: string): Promise<Message> {
      const line = parseCommandLine(text);
      return this.run(ctx, line?.name ?? 'help', line?.args ?? []);
    },
  };
}

function warning(title: string, ...lines: string[]): Message {
  return { title, tone: 'warning', private: true, ...(lines.length > 0 ? { lines } : {}) };
}
