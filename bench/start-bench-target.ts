import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { freePort } from '../test/helpers/spawn-service.ts';
import { startScript, waitHealthy } from './children.ts';

export type Arrivals = { total: number; arrivals: Record<string, number> };

export interface BenchTarget {
  child: ChildProcess;
  url: string;
  /** Every relay request so far, and when each delivery id first arrived (the target's Date.now()). */
  arrivals(): Promise<Arrivals>;
  /** Closes the target's port and connections; resolves once it is closed. */
  down(): Promise<void>;
  /** Listens again on the same port; resolves once it does. */
  up(): Promise<void>;
}

/** `bench/relay-target.ts` in its own process on a free port, so its CPU is its own and it can go down and up. */
export async function startBenchTarget(track: (child: ChildProcess) => void): Promise<BenchTarget> {
  const port = await freePort();
  const child = startScript('bench/relay-target.ts', { PORT: String(port) });
  track(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  const acks = createInterface({ input: child.stdout! });
  const command = async (line: 'down' | 'up') => {
    const acked = once(acks, 'line');
    child.stdin!.write(`${line}\n`);
    await acked;
  };
  return {
    child,
    url,
    arrivals: async () => (await (await fetch(`${url}/arrivals`)).json()) as Arrivals,
    down: () => command('down'),
    up: () => command('up'),
  };
}
