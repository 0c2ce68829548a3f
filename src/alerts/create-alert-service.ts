import { openAlertKey, type Alert, type AlertChange, type AlertKind, type AlertSubject, type OpenRequest } from '../domain/alert.ts';
import { isMuted } from '../domain/endpoint.ts';
import type { DeliveryIdGenerator } from '../domain/ids.ts';
import type { Logger } from '../logger.ts';
import type { AlertRepository } from '../store/alert-repository.ts';
import type { EndpointRepository } from '../store/endpoint-repository.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';
import { createKeyedSerial } from '../shared/keyed-serial.ts';
import type { AlertNote } from './build-alert-message.ts';

export interface AlertServiceOptions {
  repo: AlertRepository;
  endpoints: EndpointRepository;
  /** Hands a queued message to the dispatcher (it is already in the outbox). */
  enqueue: (entry: OutboxEntry) => void;
  nextId: DeliveryIdGenerator;
  remindMs: number;
  logger: Logger;
  now: () => number;
  /**
   * With several processes, the leader keeps the alerts (in memory and the store); a change made in another
   * process (a command's, a failed relay try's) is handed to it (`handOff`), and that process lists open alerts
   * from the store.
   */
  leader?: { leading: () => boolean; handOff: (change: AlertChange) => void };
}

export type AlertService = ReturnType<typeof createAlertService>;

/**
 * The one writer of alerts in this process: opens (once per kind and subject), reminds, resolves and
 * acknowledges them, one change at a time, each change stored with the message it causes. Open alerts
 * are also kept in memory, so a delivery learns whether it resolves one without reading the store.
 */
export function createAlertService(options: AlertServiceOptions) {
  const { repo, endpoints, enqueue, nextId, now, logger } = options;
  const open = new Map<string, Alert>();
  /** Open alerts by endpoint, so a delivery finds its own in one lookup however many are open. */
  const byEndpoint = new Map<string, Map<string, Alert>>();
  /** One change at a time per kind and subject, so two deliveries cannot open the same alert twice. */
  const serial = createKeyedSerial();

  function remember(alert: Alert): void {
    const key = openAlertKey(alert.kind, alert.subject);
    open.set(key, alert);
    const mine = byEndpoint.get(alert.subject.id) ?? new Map<string, Alert>();
    byEndpoint.set(alert.subject.id, mine.set(key, alert));
  }

  function forget(alert: Alert): void {
    const key = openAlertKey(alert.kind, alert.subject);
    open.delete(key);
    const mine = byEndpoint.get(alert.subject.id);
    mine?.delete(key);
    if (mine?.size === 0) byEndpoint.delete(alert.subject.id);
  }

  /** True when another process keeps the alerts and was handed the change. */
  function handedOff(change: AlertChange): boolean {
    if (!options.leader || options.leader.leading()) return false;
    options.leader.handOff(change);
    return true;
  }

  function messageFor(alert: Alert, note: AlertNote): OutboxEntry {
    return { deliveryId: nextId(now()), endpointId: alert.subject.id, chat: alert.chat, alert: { id: alert.id, note } };
  }

  async function resolveNow(alert: Alert, resolution: string): Promise<void> {
    const resolved: Alert = { ...alert, resolvedAt: now(), resolution };
    // Never told (muted all along): it ends as quietly as it began, but stays listed in digests.
    const message = alert.toldAt === undefined ? undefined : messageFor(resolved, 'resolved');
    await repo.save(resolved, message);
    forget(alert);
    if (message) enqueue(message);
  }

  return {
    /** Reads the open alerts (again, when this process leads anew: others changed them meanwhile). */
    async load(): Promise<void> {
      const stored = await repo.allOpen();
      open.clear();
      byEndpoint.clear();
      for (const alert of stored) remember(alert);
    },

    openAlerts: (): Alert[] => [...open.values()],

    /** Open alerts as they stand: this process's memory when it keeps them, else the store. */
    async listOpen(): Promise<Alert[]> {
      return options.leader && !options.leader.leading() ? repo.allOpen() : [...open.values()];
    },

    /** A change another process handed over. */
    async apply(change: AlertChange): Promise<void> {
      if (change.op === 'open') return void (await this.open(change.request));
      if (change.op === 'endpointDeleted') return this.endpointDeleted(change.endpointId);
      if (change.op === 'resolve') return this.resolve(change.kind, change.subject, change.resolution);
      const alert = await repo.get(change.alertId);
      if (alert) await this.acknowledge(alert);
    },

    openForEndpoint: (endpointId: string): Alert[] => [...(byEndpoint.get(endpointId)?.values() ?? [])],

    find: (kind: AlertKind, subject: AlertSubject): Alert | undefined => open.get(openAlertKey(kind, subject)),

    /** Opens the alert unless one of this kind is already open for the subject; undefined: handed to the leader. */
    open(request: OpenRequest): Promise<Alert | undefined> {
      if (handedOff({ op: 'open', request })) return Promise.resolve(undefined);
      const key = openAlertKey(request.kind, request.subject);
      return serial(key, async () => {
        const existing = open.get(key);
        if (existing) return existing;
        const { muted, ...fields } = request;
        const at = now();
        const alert: Alert = { id: nextId(at), openedAt: at, ...fields, ...(muted ? {} : { toldAt: at }) };
        const message = muted ? undefined : messageFor(alert, 'opened');
        await repo.open(alert, message);
        remember(alert);
        if (message) enqueue(message);
        logger.info({ alertId: alert.id, kind: alert.kind, endpointId: alert.subject.id }, 'alert opened');
        return alert;
      });
    },

    /** Changes an open alert quietly (its count, its line): more of the same is not told again. */
    update(kind: AlertKind, subject: AlertSubject, change: (alert: Alert) => Pick<Alert, 'count' | 'message'>): Promise<void> {
      const key = openAlertKey(kind, subject);
      return serial(key, async () => {
        const alert = open.get(key);
        if (!alert) return;
        const changed: Alert = { ...alert, ...change(alert) };
        await repo.save(changed);
        remember(changed);
      });
    },

    resolve(kind: AlertKind, subject: AlertSubject, resolution: string): Promise<void> {
      if (handedOff({ op: 'resolve', kind, subject, resolution })) return Promise.resolve();
      const key = openAlertKey(kind, subject);
      return serial(key, async () => {
        const alert = open.get(key);
        if (alert) await resolveNow(alert, resolution);
      });
    },

    /** Acknowledges a chat's alert; says why not when it cannot (unknown ids are the caller's to refuse). */
    acknowledge(alert: Alert): Promise<Alert> {
      // As the leader will store it, unless it was resolved meanwhile.
      if (handedOff({ op: 'acknowledge', alertId: alert.id })) return Promise.resolve({ ...alert, acknowledgedAt: alert.acknowledgedAt ?? now() });
      const key = openAlertKey(alert.kind, alert.subject);
      return serial(key, async () => {
        const current = open.get(key);
        if (current?.id !== alert.id) return (await repo.get(alert.id)) ?? alert;
        if (current.acknowledgedAt !== undefined) return current;
        const acknowledged: Alert = { ...current, acknowledgedAt: now() };
        await repo.save(acknowledged);
        remember(acknowledged);
        return acknowledged;
      });
    },

    /** Ends every open alert of a deleted endpoint, acknowledged ones too (the sweep only looks at due ones). */
    async endpointDeleted(endpointId: string): Promise<void> {
      if (handedOff({ op: 'endpointDeleted', endpointId })) return;
      const mine = [...(byEndpoint.get(endpointId)?.entries() ?? [])];
      await Promise.all(
        mine.map(([key]) =>
          serial(key, async () => {
            const alert = open.get(key);
            if (alert) await resolveNow(alert, 'the endpoint was deleted');
          }),
        ),
      );
    },

    /** Tells alerts whose endpoint was unmuted, reminds unacknowledged ones, and ends those of deleted endpoints. */
    async sweep(): Promise<void> {
      const at = now();
      const isDue = (alert: Alert) => alert.toldAt === undefined || (alert.acknowledgedAt === undefined && at - (alert.remindedAt ?? alert.toldAt) >= options.remindMs);
      const due = [...open.entries()].filter(([, alert]) => isDue(alert));
      await Promise.all(
        due.map(([key]) =>
          serial(key, async () => {
            const alert = open.get(key);
            if (!alert || !isDue(alert)) return;
            const endpoint = await endpoints.get(alert.subject.id);
            if (!endpoint) return resolveNow(alert, 'the endpoint was deleted');
            if (isMuted(endpoint, at)) return;
            const changed: Alert = alert.toldAt === undefined ? { ...alert, toldAt: at } : { ...alert, remindedAt: at };
            const message = messageFor(changed, alert.toldAt === undefined ? 'opened' : 'reminder');
            await repo.save(changed, message);
            remember(changed);
            enqueue(message);
          }),
        ),
      );
    },
  };
}
