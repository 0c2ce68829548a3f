import { describe, expect, it } from 'vitest';
import { nextPollAt, parseRetryAfter } from '../../../src/watches/next-poll-at.ts';

const EVERY = 30_000;
const NOW = Date.parse('2026-11-26T09:00:00Z');

describe('when a watch polls next', () => {
  it('keeps each watch on its own slot, spreading 1,000 watches of 30 s over the whole 30 s', () => {
    const next = Array.from({ length: 1000 }, (_, i) => nextPollAt({ endpointId: `watch-${i}`, everyMs: EVERY, failures: 0 }, NOW));
    for (const at of next) expect(at - NOW).toBeGreaterThan(0);
    for (const at of next) expect(at - NOW).toBeLessThanOrEqual(EVERY);
    const perSecond = new Map<number, number>();
    for (const at of next) perSecond.set(Math.floor((at - NOW) / 1000), (perSecond.get(Math.floor((at - NOW) / 1000)) ?? 0) + 1);
    expect(perSecond.size).toBe(30);
    expect(Math.max(...perSecond.values())).toBeLessThan(60);
    // The same slot every interval, however late it is asked.
    const one = nextPollAt({ endpointId: 'watch-1', everyMs: EVERY, failures: 0 }, NOW);
    expect(nextPollAt({ endpointId: 'watch-1', everyMs: EVERY, failures: 0 }, one + 10 * EVERY + 1)).toBe(one + 11 * EVERY);
  });

  it('backs off by doubling per failure up to an hour, and waits out a Retry-After', () => {
    const after = (failures: number, retryAfterMs?: number) => nextPollAt({ endpointId: 'w', everyMs: EVERY, failures, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, NOW) - NOW;
    expect(after(1)).toBeLessThanOrEqual(EVERY);
    expect(after(3)).toBeGreaterThanOrEqual(4 * EVERY);
    expect(after(20)).toBe(3_600_000);
    expect(after(0, 600_000)).toBe(600_000);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:05:00 GMT', NOW)).toBe(300_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});
