import { alertEvent, type AlertSubject } from '../domain/alert.ts';
import { eventLabel } from '../domain/delivery.ts';
import { formatDuration } from '../domain/duration.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import type { Expectation } from '../domain/expectation.ts';
import { formatTime } from '../domain/format.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { SilenceCheck } from '../store/expectation-repository.ts';
import type { AlertService } from './create-alert-service.ts';
import { learnCadence } from './learn-cadence.ts';

export interface SilenceCheckDeps {
  deliveries: DeliveryRepository;
  endpoints: EndpointRepository;
  alerts: AlertService;
}

/** How many recent deliveries `auto` learns from. */
export const LEARN_FROM_DELIVERIES = 200;
/**
 * Looked at again after this long when nothing is learned yet (`auto`), or when the silence is already
 * told: the next delivery resolves it by itself, so this only catches one a crash kept from doing so.
 */
const QUIET_RECHECK_MS = 3_600_000;

interface Rule {
  event?: string;
  everyMs: number;
  lastAt: number | undefined;
  /** How the expectation reads in the alert: `Expected every 1h`. */
  describe: string;
}

/**
 * One due check of one endpoint: opens a silence alert when the gap since its last delivery (or since
 * the expectation was set, whichever is later) passed the expected one, resolves one whose silence
 * ended, and says when to look next. A check may run early (it then only reschedules), never late.
 */
export function createSilenceCheck(deps: SilenceCheckDeps) {
  const { deliveries, endpoints, alerts } = deps;

  async function rulesFor(endpointId: string, expectation: Expectation): Promise<Rule[]> {
    if (expectation.mode === 'every') {
      const newest = await deliveries.newestId(endpointId);
      return [{ everyMs: expectation.everyMs, lastAt: newest === undefined ? undefined : deliveryIdTime(newest), describe: `Expected every ${formatDuration(expectation.everyMs)}` }];
    }
    const recent = await deliveries.recent(endpointId, LEARN_FROM_DELIVERIES);
    return learnCadence(recent.map((delivery) => ({ at: delivery.receivedAt, event: alertEvent(eventLabel(delivery)) }))).map((learned) => ({
      event: learned.event,
      everyMs: learned.everyMs,
      lastAt: learned.lastAt,
      describe: `Usually within ${formatDuration(learned.everyMs)} (learned from ${learned.samples} deliveries)`,
    }));
  }

  /** Returns when to look next (undefined: never, the expectation or the endpoint is gone). */
  return async function checkSilence(check: SilenceCheck, expectation: Expectation | undefined, at: number): Promise<number | undefined> {
    if (!expectation) return undefined;
    let next = at + QUIET_RECHECK_MS;
    let endpoint: Endpoint | undefined;
    for (const rule of await rulesFor(check.endpointId, expectation)) {
      const subject: AlertSubject = { type: 'endpoint', id: check.endpointId, ...(rule.event === undefined ? {} : { event: rule.event }) };
      const since = Math.max(expectation.since, rule.lastAt ?? 0);
      const dueAt = since + rule.everyMs;
      const open = alerts.find('silence', subject);
      if (dueAt > at) {
        next = Math.min(next, dueAt);
        if (open) await alerts.resolve('silence', subject, 'a delivery');
        continue;
      }
      // Read only in a silence: most checks find none and need no more than the newest delivery id.
      endpoint ??= await endpoints.get(check.endpointId);
      if (!endpoint) {
        if (open) await alerts.resolve('silence', subject, 'deleting the endpoint');
        return undefined;
      }
      if (open) continue;
      const last = rule.lastAt === undefined || rule.lastAt < expectation.since ? `nothing since the expectation was set at ${formatTime(expectation.since)}` : `last delivery ${formatTime(rule.lastAt)}`;
      await alerts.open({ kind: 'silence', subject, subjectName: endpoint.name, chat: endpoint.owner, since, message: `${rule.describe}; ${last}`, count: 1, muted: isMuted(endpoint, at) });
    }
    return next;
  };
}
