import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { npmStartArgs, ROOT } from '../helpers/npm-start.ts';
import { freePort, spawnService } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

/** `npm start`'s command run until it exits on its own (or 15 s pass): its exit code and standard error. */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, npmStartArgs(), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PORT: String(await freePort()), ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}

describe('one process per SQLite file', () => {
  it('refuses to start a second process on the same file, with one line on stderr saying why', async () => {
    const databaseUrl = tempDatabaseUrl();
    const path = databaseUrl.slice('sqlite://'.length);
    const first = await spawnService({ DATABASE_URL: databaseUrl });
    try {
      const second = await runUntilExit({ DATABASE_URL: databaseUrl });
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        `Another hookwatch process is using ${path} (it holds ${path}.lock): stop it first, or give this one its own DATABASE_URL. Two processes on one SQLite file would lose consistency.\n`,
      );
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it('starts on a file whose previous process was killed with SIGKILL, and keeps its data', async () => {
    const env = { DATABASE_URL: tempDatabaseUrl() };
    const first = await spawnService(env);
    first.send('new survivor');
    await first.waitFor(/Endpoint survivor created/);
    await first.stop('SIGKILL');

    const next = await spawnService(env);
    try {
      next.send('list');
      await next.waitFor(/survivor/);
    } finally {
      await next.stop();
    }
  });
});

describe('a PostgreSQL DATABASE_URL', () => {
  it('stops start-up with one line naming DATABASE_URL, without its password, when the server cannot be reached', async () => {
    const port = await freePort();
    const { code, stderr } = await runUntilExit({ DATABASE_URL: `postgres://hookwatch:s3cret-pass@127.0.0.1:${port}/hookwatch` });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Cannot open DATABASE_URL (PostgreSQL at 127.0.0.1:${port}/hookwatch): connect ECONNREFUSED 127.0.0.1:${port}. Check the server runs, and the URL's user, password and database.\n`,
    );
  });
});
