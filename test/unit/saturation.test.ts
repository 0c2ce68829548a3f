import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createSaturation } from '../../src/forward/create-saturation.ts';

/** Keeps the event loop busy (running code, no I/O) for `ms`. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('saturation', () => {
  it('says saturated after a window the event loop spent running code, and not after one it spent waiting', async () => {
    let clock = 0;
    const isSaturated = createSaturation(() => clock);

    spin(30);
    clock += 100;
    const afterBusy = isSaturated();
    await sleep(30);
    clock += 100;
    const afterIdle = isSaturated();

    expect([afterBusy, afterIdle]).toEqual([true, false]);
  });

  it('reads the figure again only once a window has passed', async () => {
    let clock = 0;
    const isSaturated = createSaturation(() => clock);
    spin(30);
    clock += 100;
    expect(isSaturated()).toBe(true);

    await sleep(30);
    clock += 99;
    const withinTheWindow = isSaturated();
    clock += 1;
    expect([withinTheWindow, isSaturated()]).toEqual([true, false]);
  });
});
