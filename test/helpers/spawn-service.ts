import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { npmStartArgs, ROOT } from './npm-start.ts';

export interface SpawnedService {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Types a line into the console chat. */
  send(line: string): void;
  /** Waits until standard output (after `from`) matches, and returns the match. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpMatchArray>;
  output(): string;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** `npm start` as its own process (without npm, so signals reach it), console chat on its pipes. */
export async function spawnService(env: Record<string, string>): Promise<SpawnedService> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, npmStartArgs(), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env, PORT: String(port) },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  const service: SpawnedService = {
    url: `http://127.0.0.1:${port}`,
    child,
    send: (line) => child.stdin.write(`${line}\n`),
    async waitFor(pattern, from = 0) {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const match = stdout.slice(from).match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((done) => setTimeout(done, 20));
      }
      throw new Error(`no ${pattern} in output:\n${stdout}\nstderr:\n${stderr}`);
    },
    output: () => stdout,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitHealthy(service);
  return service;
}

async function waitHealthy(service: SpawnedService): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && service.child.exitCode === null) {
    const healthy = await fetch(`${service.url}/healthz`).then((response) => response.ok, () => false);
    if (healthy) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`service did not become healthy:\n${service.output()}\n${service.stderr()}`);
}
