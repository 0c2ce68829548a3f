import type { Expectation } from '../domain/expectation.ts';
import type { Logger } from '../logger.ts';
import type { ExpectationRepository, SilenceCheck } from '../store/expectation-repository.ts';
import type { AlertService } from './create-alert-service.ts';

export interface AlertSchedulerOptions {
  expectations: ExpectationRepository;
  checkSilence: (check: SilenceCheck, expectation: Expectation | undefined, at: number) => Promise<number | undefined>;
  alerts: AlertService;
  logger: Logger;
  now: () => number;
  /** Between looks at the agenda: a silence is told at most this long after it passed (plus the check). */
  intervalMs?: number;
}

/** Due checks read from the store per batch, run together. */
const CHECKS_PER_BATCH = 200;

export type AlertScheduler = ReturnType<typeof createAlertScheduler>;

/**
 * One timer for every endpoint: each tick reads the checks now due from the store (time-ordered keys,
 * so an idle tick is one empty range read), runs them, then lets the alert service remind and tell.
 * Its cost follows the checks that fall due, not the number of endpoints watched.
 */
export function createAlertScheduler(options: AlertSchedulerOptions) {
  const { expectations, checkSilence, alerts, logger, now } = options;
  const intervalMs = options.intervalMs ?? 5000;
  /** The latest run, and one asked for but not yet begun: it reads the clock when it begins. */
  let last: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function run(): Promise<void> {
    const at = now();
    for (;;) {
      const due = await expectations.due(at, CHECKS_PER_BATCH);
      const expected = await expectations.getMany(due.map((check) => check.endpointId));
      const outcomes = await Promise.allSettled(due.map((check, i) => checkSilence(check, expected[i], at)));
      const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
      for (const failure of failed) logger.error({ err: failure.reason }, 'silence check failed; retried at the next tick');
      // The batch's next checks in one write; a failed check keeps its place.
      await expectations.reschedule(due.flatMap((check, i) => (outcomes[i]!.status === 'fulfilled' ? [{ check, next: outcomes[i]!.value }] : [])));
      // A failed check stays due: stop here rather than read it again in this tick.
      if (stopped || failed.length > 0 || due.length < CHECKS_PER_BATCH) break;
    }
    await alerts.sweep();
  }

  /** Runs whatever is due now, after a run under way; calls before it begins share it. */
  function tick(): Promise<void> {
    waiting ??= last
      .then(() => {
        waiting = undefined;
        return run();
      })
      .catch((error: unknown) => logger.error({ err: error }, 'alert check failed'))
      .finally(() => {
        clearTimeout(timer);
        if (stopped) return;
        timer = setTimeout(() => void tick(), intervalMs);
        timer.unref();
      });
    last = waiting;
    return waiting;
  }

  return {
    tick,
    /** On start: whatever fell due while the service was down (a silence that began then) is found now. */
    async start(): Promise<void> {
      stopped = false;
      await alerts.load();
      await tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await last;
    },
  };
}
