import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { npmStartArgs, ROOT } from '../test/helpers/npm-start.ts';
import { freePort } from '../test/helpers/spawn-service.ts';

/**
 * node itself rather than `npm start` or `npx tsx`: the child pid is the server, so a signal reaches it
 * directly, its memory is the server's, and no wrapper process is left behind.
 * stdin/stdout are piped (the console chat talks there); stderr (logs) goes to ours.
 */
function spawnNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** hookwatch as `npm start` runs it. */
export const startHookwatchProcess = (env: Record<string, string>) => spawnNode(npmStartArgs(), env);

/** A TypeScript script of the bench (the bare express baseline). */
export const startScript = (script: string, env: Record<string, string>) => spawnNode(['--import', 'tsx', script], env);

/** Poll GET /healthz until it answers 200; fail early if the child dies. */
export async function waitHealthy(baseUrl: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was ready`);
    const ok = await fetch(`${baseUrl}/healthz`).then((res) => res.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${baseUrl}/healthz not ready after ${timeoutMs} ms`);
}

/** SIGTERM (hookwatch stops cleanly on it), then SIGKILL if it takes too long. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A baseline receiver (`bench/bare-express.ts`, `bench/bare-node.ts`) on a free port. `track` gets the
 * child before anything can fail, so the caller can always stop it.
 */
export async function startBaseline(script: string, track: (child: ChildProcess) => void): Promise<{ child: ChildProcess; webhookUrl: string }> {
  const port = await freePort();
  const child = startScript(script, { PORT: String(port), HOST: '127.0.0.1' });
  track(child);
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, child);
  return { child, webhookUrl: `${base}/wh/baseline` };
}

export const startBareExpress = (track: (child: ChildProcess) => void) => startBaseline('bench/bare-express.ts', track);
