import type { Logger } from '../logger.ts';
import type { Cluster, LeaderWork } from './cluster.ts';
import { createBroadcast } from './create-broadcast.ts';
import { createLeaderLock } from './create-leader-lock.ts';
import { createNodeSlot } from './create-node-slot.ts';

export interface PostgresClusterOptions {
  url: string;
  logger: Logger;
  /**
   * How often a process that does not lead tries for leadership (and the leader checks its hold):
   * a dead leader's work moves within this, plus the work's own start.
   */
  tryEveryMs?: number;
}

/** Processes on one PostgreSQL database: one leads (an advisory lock), all hear each other (LISTEN/NOTIFY). */
export function createPostgresCluster(options: PostgresClusterOptions): Cluster {
  const tryEveryMs = options.tryEveryMs ?? 2000;
  const logger = options.logger.child({ component: 'cluster' });
  const broadcast = createBroadcast({ url: options.url, retryMs: tryEveryMs, logger });
  const slot = createNodeSlot({ url: options.url, retryMs: tryEveryMs, logger });
  let work: LeaderWork | undefined;
  /** Starts and stops one after another: a stop waits for the start before it, and the reverse. */
  let turns: Promise<void> = Promise.resolve();
  const inTurn = (step: () => Promise<void>, failed: string) => {
    turns = turns.then(step).catch((error: unknown) => logger.error({ err: error }, failed));
    return turns;
  };
  const lock = createLeaderLock({
    url: options.url,
    tryEveryMs,
    logger,
    onGained() {
      logger.info('this process leads: platform connections, sending and schedulers run here');
      void inTurn(() => work!.start(), 'the leader\'s work failed to start');
    },
    onLost() {
      void inTurn(() => work!.stop(), 'the leader\'s work failed to stop');
    },
  });

  return {
    shared: true,
    async lead(leaderWork) {
      work = leaderWork;
      await slot.start();
      await broadcast.start();
      await lock.start();
      await turns;
    },
    isLeader: lock.isLeading,
    idSlot: slot.current,
    publish: broadcast.publish,
    subscribe: broadcast.subscribe,
    async close() {
      // The work stops before the lock goes, so no one else starts it while this process still sends.
      await inTurn(async () => {
        if (lock.isLeading()) await work?.stop();
      }, 'the leader\'s work failed to stop');
      await lock.close();
      await broadcast.close();
      await slot.close();
    },
  };
}
