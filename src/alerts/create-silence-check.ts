import { alertEvent, type AlertSubject } from '../domain/alert.ts';
import { eventLabel } from '../domain/delivery.ts';
import { formatDuration } from '../domain/duration.ts';
import { isMuted, type Endpoint } from '../domain/endpoint.ts';
import type { Expectation } from '../domain/expectation.ts';
import { formatTime } from '../domain/format.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { DeliveryRepository } from '../store/delivery-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { ExpectationRepository, SilenceCheck } from '../store/expectation-repository.ts';
import type { AlertService } from './create-alert-service.ts';
import { learnCadence } from './learn-cadence.ts';

export interface SilenceCheckDeps {
  expectations: ExpectationRepository;
  deliveries: DeliveryRepository;
  endpoints: EndpointRepository;
  alerts: AlertService;
}

/** How many recent deliveries `auto` learns from. */
export const LEARN_FROM_DELIVERIES = 200;
/** With nothing learned yet, `auto` looks again after this long. */
const RELEARN_MS = 3_600_000;

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
 * ended, and books the next check. A check may run early (it then only reschedules), never late.
 */
export function createSilenceCheck(deps: SilenceCheckDeps) {
  const { expectations, deliveries, endpoints, alerts } = deps;

  async function rulesFor(endpoint: Endpoint, expectation: Expectation): Promise<Rule[]> {
    if (expectation.mode === 'every') {
      const newest = await deliveries.newestId(endpoint.id);
      return [{ everyMs: expectation.everyMs, lastAt: newest === undefined ? undefined : deliveryIdTime(newest), describe: `Expected every ${formatDuration(expectation.everyMs)}` }];
    }
    const recent = await deliveries.recent(endpoint.id, LEARN_FROM_DELIVERIES);
    return learnCadence(recent.map((delivery) => ({ at: delivery.receivedAt, event: alertEvent(eventLabel(delivery)) }))).map((learned) => ({
      event: learned.event,
      everyMs: learned.everyMs,
      lastAt: learned.lastAt,
      describe: `Usually within ${formatDuration(learned.everyMs)} (learned from ${learned.samples} deliveries)`,
    }));
  }

  return async function checkSilence(check: SilenceCheck, at: number): Promise<void> {
    const expectation = await expectations.get(check.endpointId);
    const endpoint = expectation && (await endpoints.get(check.endpointId));
    if (!expectation || !endpoint) return expectations.reschedule(check, undefined);
    let next = at + RELEARN_MS;
    for (const rule of await rulesFor(endpoint, expectation)) {
      const subject: AlertSubject = { type: 'endpoint', id: endpoint.id, ...(rule.event === undefined ? {} : { event: rule.event }) };
      const since = Math.max(expectation.since, rule.lastAt ?? 0);
      const dueAt = since + rule.everyMs;
      if (dueAt > at) {
        next = Math.min(next, dueAt);
        // Told by the delivery as a rule; this catches one whose resolution a crash cut short.
        if (alerts.find('silence', subject)) await alerts.resolve('silence', subject, 'a delivery');
        continue;
      }
      next = Math.min(next, at + rule.everyMs);
      const last = rule.lastAt === undefined || rule.lastAt < expectation.since ? `nothing since the expectation was set at ${formatTime(expectation.since)}` : `last delivery ${formatTime(rule.lastAt)}`;
      await alerts.open({ kind: 'silence', subject, subjectName: endpoint.name, chat: endpoint.owner, since, message: `${rule.describe}; ${last}`, count: 1, muted: isMuted(endpoint, at) });
    }
    await expectations.reschedule(check, next);
  };
}
