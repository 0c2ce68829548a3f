import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureNamed, postFixture } from '../helpers/fixtures.ts';
import { npmStartArgs, ROOT } from '../helpers/npm-start.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { runWithFakeCurl } from '../helpers/run-with-fake-curl.ts';
import { tempDatabaseUrl } from '../helpers/start-test-service.ts';

describe('the service as a process with the console chat', () => {
  const running: SpawnedService[] = [];
  const start = async (env: Record<string, string>) => {
    const service = await spawnService(env);
    running.push(service);
    return service;
  };
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop('SIGKILL');
  });

  async function newEndpoint(service: SpawnedService, name: string): Promise<string> {
    const from = service.output().length;
    service.send(`new ${name}`);
    return (await service.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/, from))[1]!;
  }

  it('creates an endpoint, prints each delivery, and shows its payload', async () => {
    const service = await start({ DATABASE_URL: tempDatabaseUrl() });
    const url = await newEndpoint(service, 'stripe');
    const from = service.output().length;
    const { id } = (await (await postFixture(url, fixtureNamed('stripe'))).json()) as { id: string };
    const notification = (await service.waitFor(/== stripe · POST \/ ==[\s\S]*?\[Mute 1h: mute id:\w+ 1h\]/, from))[0];
    expect(notification).toContain(`Delivery: ${id}`);
    expect(notification).toContain('"type": "payment_intent.succeeded"');
    expect(notification).toContain(`[Payload: payload ${id}]`);
    service.send(`payload ${id}`);
    const payload = (await service.waitFor(/== Payload of \w+ ==\n.*\n```json\n([^\n]*)\n```/, from))[1];
    expect(payload).toBe(fixtureNamed('stripe').body);
  });

  it('keeps endpoints and deliveries across a restart, and after kill -9', async () => {
    const env = { DATABASE_URL: tempDatabaseUrl(), PORT: String(await freePort()) };
    const first = await start(env);
    const url = await newEndpoint(first, 'github');
    const kept = (await (await fetch(url, { method: 'POST', body: 'before restart' })).json()) as { id: string };
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start(env);
    const afterRestart = (await (await fetch(url, { method: 'POST', body: 'after restart' })).json()) as { id: string };
    await second.stop('SIGKILL');

    const third = await start(env);
    third.send('last github');
    const last = (await third.waitFor(/== Last 2 deliveries \(github\) ==\n(.*)\n(.*)/))!;
    expect(last[1]).toContain(afterRestart.id);
    expect(last[2]).toContain(kept.id);
  });

  it('escapes terminal control characters from strangers', async () => {
    const service = await start({ DATABASE_URL: tempDatabaseUrl() });
    const url = await newEndpoint(service, 'evil');
    const from = service.output().length;
    // Form fields are shown decoded, so %1B arrives as a real escape character.
    await fetch(`${url}/x`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'msg=clear%1B%5B2Jscreen%07' });
    await service.waitFor(/== evil · POST \/x ==[\s\S]*\[Mute 1h/, from);
    expect(service.output().slice(from)).not.toMatch(/[\u0007\u001b]/);
    expect(service.output().slice(from)).toContain('msg: clear\\x1b[2Jscreen\\x07');
  });

  it('prints a curl command that replays a hostile request exactly and runs nothing else when pasted', async () => {
    const service = await start({ DATABASE_URL: tempDatabaseUrl() });
    const url = await newEndpoint(service, 'hostile');
    const headers = { 'x-token-`touch$IFS.pwned`': 'tok_123', 'x-note': "$(touch pwned) `touch pwned` '; touch pwned #" };
    const body = "@/etc/passwd\n$(touch pwned) 'quoted'";
    const target = new URL(`${url}/sub$IFS?a[]=$(touch%20pwned)&b='`);
    const { id } = (await (await fetch(target, { method: 'PUT', headers, body })).json()) as { id: string };
    const from = service.output().length;
    service.send(`curl ${id}`);
    const printed = await service.waitFor(/set (\w+) first\.\n```shell\n([\s\S]*?)\n```/, from);
    expect(printed[1]).toBe('HEADER_X_TOKEN_TOUCH_IFS_PWNED');

    const run = runWithFakeCurl(printed[2]!, { HEADER_X_TOKEN_TOUCH_IFS_PWNED: 'tok_123' });
    expect(run.created).toEqual([]);
    const argv = run.argv.map(String);
    expect(argv.slice(0, 4)).toEqual(['--globoff', '-X', 'PUT', target.href]);
    expect(argv).toContain('x-token-`touch$IFS.pwned`: tok_123');
    expect(argv).toContain("x-note: $(touch pwned) `touch pwned` '; touch pwned #");
    expect(argv.slice(-2)).toEqual(['--data-raw', body]);
  });

  it('stops at start-up with one line naming an invalid variable', () => {
    const result = spawnSync(process.execPath, npmStartArgs(), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: 'abc' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: PORT must be a number (got "abc")');
  });

  it('stops at start-up with one line when the port is already taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const result = spawnSync(process.execPath, npmStartArgs(), {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: tempDatabaseUrl() },
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`Cannot listen on 127.0.0.1:${port}: the port is already in use (is hookwatch running already?); stop that process or set PORT to a free port`);
    } finally {
      taken.close();
    }
  });

  it('keeps the terminal to the chat: without LOG_LEVEL only warnings are logged, on standard error', async () => {
    const quiet = await start({ DATABASE_URL: tempDatabaseUrl(), LOG_LEVEL: '' });
    const chatty = await start({ DATABASE_URL: tempDatabaseUrl(), LOG_LEVEL: 'info' });
    for (const service of [quiet, chatty]) {
      const from = service.output().length;
      await fetch(await newEndpoint(service, 'quiet'), { method: 'POST', body: '{}' });
      await service.waitFor(/== quiet · POST \/ ==[\s\S]*\[Mute 1h/, from);
    }
    expect(chatty.stderr()).toContain('"msg":"hookwatch listening"');
    expect(quiet.stderr()).toBe('');
    expect(quiet.output()).not.toContain('"level"');
  });
});
