import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { AlertService } from '../../src/alerts/create-alert-service.ts';
import type { Alert } from '../../src/domain/alert.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import type { RelayAttempt, RelayJob } from '../../src/domain/forward-target.ts';
import { createTargetHealth } from '../../src/forward/create-target-health.ts';

const endpoint: Endpoint = { id: 'ab12cd34', token: 't', name: 'stripe', owner: { platform: 'test', chatId: 'c' }, createdAt: 0, mutedUntil: null };
const job: RelayJob = { deliveryId: 'd1', endpointId: endpoint.id, targetId: 'target-1', url: 'http://127.0.0.1:9/hook', tries: 0, since: 0 };
const attempt: RelayAttempt = { at: 0, targetId: 'target-1', url: job.url, durationMs: 1, error: 'connection refused', headers: [], excerpt: '' };
const failed = { kind: 'retry' as const, attempt, answer: { kind: 'failed' as const, error: 'connection refused', blocked: false, durationMs: 1 }, next: { ...job, tries: 1, dueAt: 1000 } };

/** An alert service whose updates wait until released, as a write waits for its commit. */
function slowAlerts() {
  let alert: Alert | undefined;
  const held: Array<() => void> = [];
  const service = {
    find: () => alert,
    async open(request: { count: number; message: string }) {
      alert = { id: 'a1', kind: 'target', subject: { type: 'target', id: endpoint.id, target: job.targetId }, subjectName: 'stripe', chat: endpoint.owner, since: 0, openedAt: 0, ...request } as Alert;
      return alert;
    },
    updates: 0,
    async update(_kind: string, _subject: unknown, change: (alert: Alert) => Pick<Alert, 'count' | 'message'>) {
      service.updates += 1;
      await new Promise<void>((resolve) => held.push(resolve));
      alert = { ...alert!, ...change(alert!) };
    },
    release: async () => {
      for (const resolve of held.splice(0)) resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
    count: () => alert?.count,
  };
  return service;
}

describe('target health', () => {
  it('counts 50 failed tries in the open alert with one write while an earlier write is under way, not one write each', async () => {
    const alerts = slowAlerts();
    const health = createTargetHealth({ alerts: alerts as unknown as AlertService, now: () => 0, logger: pino({ level: 'silent' }) });
    health.onTry(job, endpoint, failed, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(alerts.count()).toBe(1);

    for (let n = 0; n < 50; n++) health.onTry(job, endpoint, failed, 1);
    await alerts.release();
    expect(alerts.updates).toBe(1);
    expect(alerts.count()).toBe(51);

    health.onTry(job, endpoint, failed, 1);
    await alerts.release();
    expect(alerts.updates).toBe(2);
    expect(alerts.count()).toBe(52);
  });
});
