import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { Channel } from '../../src/channels/channel.ts';
import type { ChannelDeps } from '../../src/channels/index.ts';
import type { CommandContext } from '../../src/commands/command.ts';
import type { CommandRunner } from '../../src/commands/run-command.ts';
import type { Message } from '../../src/domain/message.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import { startService, type RunningService, type ServiceOptions } from '../../src/service.ts';

export const silentLogger = pino({ level: 'silent' });

/** A fresh SQLite file in the run's temporary folder (test/setup/temp-root.ts removes it after the run). */
export function tempDatabaseUrl(): string {
  const root = process.env.HOOKWATCH_TEST_TMPDIR ?? tmpdir();
  return `sqlite://${join(mkdtempSync(join(root, 'hookwatch-test-')), 'hookwatch.sqlite')}`;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: tempDatabaseUrl(), PUBLIC_URL: 'https://hooks.example.com', ...env });
}

export const testChat = (chatId = 'chat-a'): CommandContext => ({
  chat: { platform: 'test', chatId },
  format: (name, args = []) => [name, ...args].join(' '),
});

export interface TestService extends RunningService {
  commands: CommandRunner;
}

/** The real service in this process on an ephemeral port, with the given channels (or a function making them, e.g. the registry's). */
export async function startTestService(
  config: Config,
  channels: Channel[] | ((deps: ChannelDeps) => Promise<Channel[]>),
  options: { retryBaseMs?: number; now?: () => number; logger?: Logger; openStore?: ServiceOptions['openStore']; leaderTryEveryMs?: number } = {},
): Promise<TestService> {
  let commands: CommandRunner | undefined;
  const service = await startService({
    config,
    logger: options.logger ?? silentLogger,
    console: { input: new PassThrough(), output: new PassThrough() },
    createChannels: (deps) => ((commands = deps.commands), typeof channels === 'function' ? channels(deps) : channels),
    retryBaseMs: options.retryBaseMs ?? 20,
    ...(options.now ? { now: options.now } : {}),
    ...(options.openStore ? { openStore: options.openStore } : {}),
    ...(options.leaderTryEveryMs ? { leaderTryEveryMs: options.leaderTryEveryMs } : {}),
  });
  return { ...service, commands: commands! };
}

/** A logger whose JSON lines land in `lines`, for tests of what gets logged. */
export function recordingLogger(): { logger: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  return { logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

/** Runs a command line and returns the reply's text, for assertions. */
export async function say(service: TestService, line: string, ctx = testChat()): Promise<Message> {
  return service.commands.runLine(ctx, line);
}

/** The endpoint URL in a `new` reply, pointed at the test server instead of PUBLIC_URL. */
export function localUrl(service: RunningService, reply: Message, publicUrl = 'https://hooks.example.com'): string {
  const url = reply.lines?.find((line) => line.startsWith(publicUrl));
  if (!url) throw new Error(`no URL in ${JSON.stringify(reply)}`);
  return service.url + url.slice(publicUrl.length);
}
