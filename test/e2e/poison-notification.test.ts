import { afterEach, describe, expect, it } from 'vitest';
import { SendError } from '../../src/channels/channel.ts';
import { CONSOLE_CHAT_ID } from '../../src/channels/console/console-channel.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { freePort, spawnService, type SpawnedService } from '../helpers/spawn-service.ts';
import { localUrl, say, startTestService, testChat, testConfig } from '../helpers/start-test-service.ts';

/** 10 KB of valid JSON, 5,000 arrays deep: the call stack of a recursive JSON.stringify overflows on it. */
const NESTED = '['.repeat(5000) + ']'.repeat(5000);
const json = { 'content-type': 'application/json' };

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: json, body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

describe('a delivery whose notification is hard to build, in the console chat', () => {
  const running: SpawnedService[] = [];
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop('SIGKILL');
  });

  it('notifies a 5,000-deep JSON delivery, and then the next delivery', async () => {
    const service = await spawnService({ DATABASE_URL: testConfig().DATABASE_URL });
    running.push(service);
    service.send('new nested');
    const url = (await service.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/wh\/[\w-]+)/))[1]!;
    const from = service.output().length;
    const nested = await post(url, NESTED);
    const next = await post(url, '{"after":"the nested one"}');
    await service.waitFor(new RegExp(`Delivery: ${next}`), from);
    const printed = service.output().slice(from);
    expect(printed).toContain(`Delivery: ${nested}`);
    expect(printed.indexOf(nested)).toBeLessThan(printed.indexOf(next));
    expect(printed).toContain('"after": "the nested one"');
  });

  it('after a restart with the nested delivery still in the outbox, notifies it and then the next', async () => {
    const config = testConfig({ PORT: String(await freePort()) });
    // A first run stores the delivery while the console cannot take it, so it is left in the outbox.
    const down = createRecordingChannel('console');
    down.failWith(() => new SendError('console unavailable'));
    const first = await startTestService(config, [down.channel]);
    const consoleChat = { ...testChat(), chat: { platform: 'console', chatId: CONSOLE_CHAT_ID } };
    const url = localUrl(first, await say(first, 'new nested', consoleChat));
    // Its outbox entry is written with it, before the 200.
    const nested = await post(url, NESTED);
    await first.stop();

    const service = await spawnService({ DATABASE_URL: config.DATABASE_URL, PORT: String(config.PORT) });
    running.push(service);
    const next = await post(url, '{"after":"the restart"}');
    await service.waitFor(new RegExp(`Delivery: ${next}`));
    const printed = service.output();
    expect(printed).toContain(`Delivery: ${nested}`);
    expect(printed.indexOf(nested)).toBeLessThan(printed.indexOf(next));
  });
});
