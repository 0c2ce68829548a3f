import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { npmStartArgs, ROOT } from '../helpers/npm-start.ts';
import { freePort } from '../helpers/spawn-service.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

describe('sample in the console chat', () => {
  const children: Array<ReturnType<typeof spawn>> = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('waits for the HTTP server when typed before it listens, then the sample arrives like any delivery', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, npmStartArgs(), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: tempDatabaseUrl(), LOG_LEVEL: 'warn' },
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Typed at once: the console reads its input before the server listens.
    child.stdin!.write('new shop\nsample shop github\n');
    await expect.poll(() => output, { timeout: 15_000 }).toMatch(/== shop · POST \/ ==\nGitHub · push/);
    expect(output).toContain('== Sample github delivery sent to shop ==\nThe endpoint answered 200');
  });
});
