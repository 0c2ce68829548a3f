import { describe, expect, it } from 'vitest';
import { createChatPacing } from '../../src/notify/chat-pacing.ts';

const chat = { platform: 'test', chatId: 'a' };
const pace = { chat: { minIntervalMs: 100 } };

describe('chat pacing', () => {
  it('runs one send at a time per chat, each at least the pace after the previous one answered', async () => {
    const pacing = createChatPacing({ restore: async () => [] });
    const spans: Array<[number, number]> = [];
    const send = async () => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      spans.push([start, Date.now()]);
    };
    await Promise.all([pacing.turn(chat, pace, send), pacing.turn(chat, pace, send), pacing.turn(chat, pace, send)]);
    expect(spans).toHaveLength(3);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0] - spans[i - 1]![1]).toBeGreaterThanOrEqual(99);
  });

  it('starts from the send times an earlier run recorded', async () => {
    const pacing = createChatPacing({ restore: async () => [Date.now()] });
    const started = Date.now();
    await pacing.turn(chat, pace, async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(99);
  });

  it('gives up a turn cancelled while it waited, and goes on with the next', async () => {
    const pacing = createChatPacing({ restore: async () => [] });
    let stopped = false;
    await pacing.turn(chat, pace, async () => 'first');
    const cancelled = pacing.turn(chat, pace, async () => 'never', { cancelled: () => stopped });
    stopped = true;
    expect(await cancelled).toBeUndefined();
    expect(await pacing.turn(chat, pace, async () => 'next')).toBe('next');
  });

  it('does not let one chat wait for another', async () => {
    const pacing = createChatPacing({ restore: async () => [] });
    await pacing.turn(chat, pace, async () => undefined);
    const started = Date.now();
    await pacing.turn({ platform: 'test', chatId: 'b' }, pace, async () => undefined);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('reserves the platform-wide slot before sending, so 100 chats at once keep to 30 a second', async () => {
    let clock = 0;
    const sleepers: Array<{ at: number; wake: () => void }> = [];
    const sleep = (ms: number) => new Promise<void>((wake) => sleepers.push({ at: clock + ms, wake }));
    const pacing = createChatPacing({ restore: async () => [], now: () => clock });
    const started: number[] = [];
    const platformPace = { chat: {}, platform: { window: { count: 30, ms: 1000 } } };
    const turns = Array.from({ length: 100 }, (_, i) =>
      pacing.turn({ platform: 'test', chatId: `chat-${i}` }, platformPace, async () => void started.push(clock), { sleep }),
    );
    const settled = Promise.all(turns);
    let done = false;
    void settled.then(() => (done = true));
    // The clock moves only when every turn is asleep: to the earliest wake-up.
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (sleepers.length === 0) continue;
      sleepers.sort((a, b) => a.at - b.at);
      clock = sleepers[0]!.at;
      for (const sleeper of sleepers.splice(0, sleepers.filter((candidate) => candidate.at <= clock).length)) sleeper.wake();
    }
    expect(started).toHaveLength(100);
    for (const at of started) expect(started.filter((other) => other >= at && other < at + 1000).length).toBeLessThanOrEqual(30);
  });

  it('counts a send starting now among the times to record only where the chat has a pace', async () => {
    const pacing = createChatPacing({ restore: async () => [], now: () => 5_000 });
    const unpaced = { platform: 'test', chatId: 'b' };
    const recorded: number[][] = [];
    await pacing.turn(chat, pace, async () => void recorded.push(pacing.recentWithSend(chat)));
    await pacing.turn(unpaced, { chat: {} }, async () => void recorded.push(pacing.recentWithSend(unpaced)));
    expect(recorded).toEqual([[5_000], []]);
  });
});
