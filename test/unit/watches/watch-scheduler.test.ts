import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/open-store.ts';
import { createWatchRepository } from '../../../src/store/watch-repository.ts';
import { createWatchScheduler } from '../../../src/watches/create-watch-scheduler.ts';
import { silentLogger, tempDatabaseUrl } from '../../helpers/start-test-service.ts';

const NOW = Date.parse('2026-11-26T09:00:00Z');

describe('the watch scheduler', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('runs at most maxInFlight polls at once, and starts the next as one ends, until none is due', async () => {
    const store = await openStore(tempDatabaseUrl());
    const repo = createWatchRepository(store);
    for (let i = 0; i < 7; i++) await repo.save({ endpointId: `w${i}`, url: `https://api.example.com/${i}`, everyMs: 30_000, headers: [], ignore: [], createdAt: NOW }, NOW - i);
    let running = 0;
    let most = 0;
    const polled: string[] = [];
    const scheduler = createWatchScheduler({
      repo,
      logger: silentLogger,
      now: () => NOW,
      maxInFlight: 2,
      async poll(item) {
        running++;
        most = Math.max(most, running);
        await new Promise((done) => setTimeout(done, 5));
        polled.push(item.endpointId);
        running--;
        await repo.reschedule([{ check: item, next: NOW + 30_000 }]);
      },
    });
    cleanups.push(async () => {
      await scheduler.stop();
      await store.close();
    });

    await scheduler.settle();
    expect(polled.sort()).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6']);
    expect(most).toBe(2);
  });
});
