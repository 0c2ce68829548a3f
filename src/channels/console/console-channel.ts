import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CommandContext } from '../../commands/command.ts';
import type { Message } from '../../domain/message.ts';
import type { Channel } from '../channel.ts';
import type { ChannelDeps } from '../index.ts';
import { renderText } from './render-text.ts';

export const CONSOLE_CHAT_ID = 'local';

export interface ConsoleStreams {
  input: Readable;
  output: Writable;
}

const format = (name: string, args: string[] = []) => [name, ...args].join(' ');

/** Spec section 1: one chat on standard input/output, for trying hookwatch without a bot. */
export function createConsoleChannel(deps: ChannelDeps, streams: ConsoleStreams): Channel {
  const ctx: CommandContext = { chat: { platform: 'console', chatId: CONSOLE_CHAT_ID }, format };
  // A terminal shows no pictures: a chart is saved beside the SQLite file (or in ./data with a database server) and its path printed.
  const databaseUrl = deps.config.DATABASE_URL;
  const chartsDir = resolve(databaseUrl.startsWith('sqlite://') ? dirname(databaseUrl.slice('sqlite://'.length)) : 'data', 'charts');
  async function savedImage(message: Message): Promise<string> {
    if (!message.image) return '';
    await mkdir(chartsDir, { recursive: true });
    const path = join(chartsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.image.filename}`);
    await writeFile(path, message.image.png);
    return `Chart: ${path}\n`;
  }
  const print = async (message: Message) => {
    const text = renderText(message, format) + (await savedImage(message));
    await new Promise<void>((done, fail) => streams.output.write(text, (error) => (error ? fail(error) : done())));
  };
  let lines: ReturnType<typeof createInterface> | undefined;

  return {
    platform: 'console',
    async start() {
      lines = createInterface({ input: streams.input, terminal: false });
      let previous = Promise.resolve();
      lines.on('line', (line) => {
        if (line.trim() === '') return;
        previous = previous.then(async () => print(await deps.commands.runLine(ctx, line))).catch((error: unknown) => deps.logger.error({ err: error }, 'console reply failed'));
      });
      await print({ title: 'hookwatch console chat', lines: [`Type commands here, e.g. "new stripe". "help" lists them all.`] });
    },
    send: (_chatId, message) => print(message),
    pace: () => ({ chat: {} }),
    async stop() {
      lines?.close();
    },
  };
}
