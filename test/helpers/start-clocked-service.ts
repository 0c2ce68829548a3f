import { PassThrough } from 'node:stream';
import { startService, type RunningService } from '../../src/service.ts';
import { silentLogger, testConfig } from './start-test-service.ts';

/** A clock the test moves by hand: the service reads it wherever it asks for the time. */
export interface MovableClock {
  ms: number;
}

export interface ClockedService extends RunningService {
  /** Types a line into the console chat. */
  type(line: string): void;
  /** Everything the console chat printed so far. */
  output(): string;
  /** Waits until the console output after `from` matches, and returns the match. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpMatchArray>;
}

/**
 * The real service in this process with its channels from the environment (the console chat when no
 * platform is set), reading the time from `clock`; alert checks run when the test calls `alerts.tick()`.
 */
export async function startClockedService(env: Record<string, string>, clock: MovableClock): Promise<ClockedService> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const service = await startService({ config: testConfig(env), logger: silentLogger, console: { input, output }, now: () => clock.ms, retryBaseMs: 20 });
  return {
    ...service,
    type: (line) => input.write(`${line}\n`),
    output: () => printed,
    async waitFor(pattern, from = 0) {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const match = printed.slice(from).match(pattern);
        if (match) return match;
        await new Promise((done) => setTimeout(done, 10));
      }
      throw new Error(`no ${pattern} in console output:\n${printed.slice(from)}`);
    },
  };
}
