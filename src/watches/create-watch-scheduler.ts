import type { WatchState, Watch } from '../domain/watch.ts';
import type { Logger } from '../logger.ts';
import type { AgendaItem } from '../store/create-agenda.ts';
import type { WatchRepository } from '../store/watch-repository.ts';

export interface WatchSchedulerOptions {
  repo: WatchRepository;
  /** Polls and books the next poll (a poll that throws stays due). */
  poll: (item: AgendaItem, watch: Watch | undefined, state: WatchState) => Promise<void>;
  logger: Logger;
  now: () => number;
  /** Polls under way at once, across all watches: a slow API holds one of these, not the process. */
  maxInFlight: number;
  /** Between looks at the agenda when nothing is due. */
  intervalMs?: number;
}

export type WatchScheduler = ReturnType<typeof createWatchScheduler>;

/**
 * One timer for every watch: each look reads the polls due now from the store (time-ordered keys, so an
 * idle look is one empty range read) and starts as many as there is room for; each poll books its own
 * next one when it ends, and frees its room for the next due poll at once.
 */
export function createWatchScheduler(options: WatchSchedulerOptions) {
  const { repo, poll, logger, now, maxInFlight } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const inFlight = new Map<string, Promise<void>>();
  let looking: Promise<void> | undefined;
  /** A tick asked for while a look ran: the look goes round again rather than miss what it was for. */
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function pollOne(item: AgendaItem, watch: Watch | undefined, state: WatchState): Promise<void> {
    try {
      await poll(item, watch, state);
    } catch (error) {
      // It stays due: looked at again at the next tick.
      logger.error({ err: error, endpointId: item.endpointId }, 'watch poll failed');
    }
  }

  /** Starts the due polls there is room for; says whether more may be waiting. */
  async function look(): Promise<boolean> {
    const room = maxInFlight - inFlight.size;
    if (room <= 0 || stopped) return false;
    const due = (await repo.due(now(), maxInFlight + room)).filter((item) => !inFlight.has(item.endpointId)).slice(0, room);
    if (due.length === 0) return false;
    const ids = due.map((item) => item.endpointId);
    const [watches, states] = await Promise.all([repo.getMany(ids), repo.states(ids)]);
    due.forEach((item, i) => {
      const running = pollOne(item, watches[i], states[i]!).finally(() => {
        inFlight.delete(item.endpointId);
        if (!stopped) void tick();
      });
      inFlight.set(item.endpointId, running);
    });
    return due.length === room;
  }

  /** One look at a time; a look asked for during one runs after it (a poll that ended frees room). */
  function tick(): Promise<void> {
    if (looking) {
      again = true;
      return looking;
    }
    looking = (async () => {
      try {
        do {
          again = false;
          while (await look());
        } while (again && !stopped);
      } catch (error) {
        logger.error({ err: error }, 'watch scheduling failed');
      } finally {
        looking = undefined;
        clearTimeout(timer);
        if (!stopped) {
          timer = setTimeout(() => void tick(), intervalMs);
          timer.unref();
        }
      }
    })();
    return looking;
  }

  return {
    tick,
    /** Polls what is due now and waits until those polls (and any they made room for) are done: for tests and start. */
    async settle(): Promise<void> {
      await tick();
      while (inFlight.size > 0) {
        await Promise.all(inFlight.values());
        await looking;
      }
    },
    /** On start: a poll missed while the service was down runs once now, then keeps its slot. */
    start(): Promise<void> {
      stopped = false;
      return tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await looking;
      await Promise.all(inFlight.values());
    },
  };
}
