import { afterEach, describe, expect, it } from 'vitest';
import { startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { startClockedService, type ClockedService } from '../helpers/start-clocked-service.ts';

const SECOND = 1000;

describe('forwarding in the console chat, with a clock the test moves', () => {
  const running: Array<ClockedService | RelayTarget> = [];
  afterEach(async () => {
    for (const item of running.splice(0).reverse()) 'stop' in item ? await item.stop() : await item.close();
  });

  it('gives up on a relay still failing FORWARD_RETRY_HOURS after its first try, and tells it once with its Replay command', async () => {
    const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The third try is held until the clock has moved: it ends 40 s after the first began.
    const target = await startRelayTarget(async (_relay, index) => {
      if (index === 2) await held;
      return { status: 503, body: 'still down' };
    });
    // 0.01 h = 36 s: the first retries are due well within it, one after the clock has moved 40 s is not.
    const service = await startClockedService({ FORWARD_ALLOW_PRIVATE: 'true', FORWARD_RETRY_HOURS: '0.01' }, clock);
    running.push(target, service);
    await service.waitFor(/== hookwatch console chat ==/);
    service.type('new stripe');
    const path = new URL((await service.waitFor(/https:\/\/hooks\.example\.com\/wh\/[\w-]+/))[0]).pathname;
    service.type(`forward stripe ${target.url}`);
    await service.waitFor(/== stripe forwards to http:\/\/127\.0\.0\.1:\d+\/ ==/);

    const { id } = (await (await fetch(service.url + path, { method: 'POST', body: '{"type":"ping"}' })).json()) as { id: string };
    await expect.poll(() => target.received.length).toBe(3);
    expect(service.output()).not.toContain(`forwarding of ${id} failed`);
    clock.ms += 40 * SECOND;
    release();

    const told = await service.waitFor(new RegExp(`== stripe: forwarding of ${id} failed ==\\n.*\\n.*\\n\\[Replay: replay ${id}\\]  \\[Attempts: attempts ${id}\\]`));
    expect(told[0]).toMatch(new RegExp(`${target.url}/ -> 503 in \\d+ ms; gave up after 3 tries\\n3 tries; not tried again unless replayed\\.`));
    // Given up means no more tries: the relay is out of the queue.
    service.type('forward stripe');
    expect((await service.waitFor(/== stripe forwards to 1 target ==\n.*/))[0]).toMatch(/· 0 queued$/);
    expect(target.received).toHaveLength(3);
    expect(service.output().split(`forwarding of ${id} failed`)).toHaveLength(2);
  });
});
