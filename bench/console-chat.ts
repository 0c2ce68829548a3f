import type { ChildProcess } from 'node:child_process';

interface Waiter {
  pattern: RegExp;
  resolve: (match: RegExpMatchArray) => void;
}

export interface ConsoleChat {
  /** Send one command line and resolve with the first later stdout line matching `pattern`. */
  ask(command: string, pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The first stdout line from now on matching `pattern` (a notification). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** From now on, counts the stdout lines matching `pattern` (messages the service sends on its own, such as alerts). */
  counter(pattern: RegExp): () => number;
}

/**
 * Talks to hookwatch's console chat over the child's stdin/stdout. stdout is always read, and
 * dropped unless someone is waiting: every delivery prints a notification there, and a full pipe
 * would block the server's writes.
 */
export function attachConsoleChat(child: ChildProcess): ConsoleChat {
  const { stdin, stdout } = child;
  if (!stdin || !stdout) throw new Error('the console chat needs piped stdin and stdout');
  const waiters = new Set<Waiter>();
  const counters = new Set<{ pattern: RegExp; seen: number }>();
  let partial = '';

  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    if (waiters.size === 0 && counters.size === 0) return;
    for (const line of lines) matchLine(line);
  });

  function matchLine(line: string): void {
    for (const counter of counters) if (counter.pattern.test(line)) counter.seen += 1;
    for (const waiter of waiters) {
      const match = line.match(waiter.pattern);
      if (!match) continue;
      waiters.delete(waiter);
      waiter.resolve(match);
    }
  }

  function waitFor(pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no ${what} matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        pattern,
        resolve: (match) => {
          clearTimeout(timer);
          resolve(match);
        },
      };
      waiters.add(waiter);
    });
  }

  return {
    ask(command, pattern, timeoutMs = 15_000) {
      const reply = waitFor(pattern, timeoutMs, `reply to "${command}"`);
      stdin.write(`${command}\n`);
      return reply;
    },
    waitFor: (pattern, timeoutMs = 15_000) => waitFor(pattern, timeoutMs, 'line'),
    counter(pattern) {
      const counter = { pattern, seen: 0 };
      counters.add(counter);
      return () => counter.seen;
    },
  };
}
