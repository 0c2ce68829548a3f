import { alertName, type Alert } from '../domain/alert.ts';
import { formatDuration } from '../domain/duration.ts';
import { formatTime } from '../domain/format.ts';
import type { Message } from '../domain/message.ts';

export type AlertNote = 'opened' | 'reminder' | 'resolved';

/** What an alert's chat message says at `now`: opened, reminded or resolved, with Acknowledge while open. */
export function buildAlertMessage(alert: Alert, note: AlertNote, now: number): Message {
  if (note === 'resolved') return resolvedMessage(alert);
  const lines = [describe(alert)];
  if (alert.toldAt !== undefined && alert.toldAt - alert.openedAt > 1000) lines.push(`Opened ${formatTime(alert.openedAt)} while ${alert.subjectName} was muted.`);
  if (note === 'reminder') lines.push(`Open since ${formatTime(alert.openedAt)}. Reminded until acknowledged.`);
  return {
    title: `${note === 'reminder' ? 'Still: ' : ''}${headline(alert, now)}`,
    tone: note === 'reminder' ? 'warning' : 'danger',
    lines,
    time: alert.openedAt,
    buttons: [
      { label: 'Acknowledge', action: { command: 'ack', args: [alert.id] }, style: 'primary' },
      { label: 'Last deliveries', action: { command: 'last', args: [alert.subject.id] } },
    ],
  };
}

function headline(alert: Alert, now: number): string {
  if (alert.kind === 'signature') return `${alert.subjectName}: ${alert.count} deliveries in a row with an invalid signature`;
  if (alert.kind === 'target') return `${alert.subjectName}: forwarding failing (${alert.count} failed ${alert.count === 1 ? 'try' : 'tries'})`;
  if (alert.kind === 'failing') return `${alert.subjectName}: API failing for ${formatDuration(now - alert.since)}`;
  const quiet = formatDuration(now - alert.since);
  return alert.subject.event === undefined ? `${alert.subjectName} silent for ${quiet}` : `${alert.subjectName}: no ${alert.subject.event} for ${quiet}`;
}

function describe(alert: Alert): string {
  if (alert.kind === 'signature') return `Reason: ${alert.message}. Check the signing secret set here and the sender's clock.`;
  if (alert.kind === 'target') return `${alert.message}. Retried with backoff; told once more when it recovers.`;
  if (alert.kind === 'failing') return `Last poll: ${alert.message}. Polled again with backoff; the alert resolves with the next good answer.`;
  return `${alert.message}.`;
}

function resolvedMessage(alert: Alert): Message {
  const lasted = formatDuration((alert.resolvedAt ?? alert.openedAt) - alert.since);
  // Every resolution a delivery brings names it; the others (`expect off`, a deleted endpoint) only close the alert.
  const byDelivery = alert.kind === 'failing' ? alert.resolution?.startsWith('a poll') ?? true : alert.resolution?.includes('delivery') ?? true;
  if (alert.kind === 'target') return { title: `${alert.subjectName}: forwarding recovered after ${lasted}`, tone: 'success', lines: [`${alert.resolution ?? 'Delivered again'}.`], time: alert.resolvedAt ?? alert.openedAt };
  const ended =
    alert.kind === 'signature' ? `${alert.subjectName}: signatures valid again after ${lasted}` : alert.kind === 'failing' ? `${alert.subjectName}: API answering again after ${lasted}` : `${alert.subjectName} back after ${lasted}`;
  const title = byDelivery ? ended : `${alertName(alert)}: alert closed after ${lasted}`;
  return { title, tone: 'success', lines: [`Resolved by ${alert.resolution ?? 'a delivery'}.`], time: alert.resolvedAt ?? alert.openedAt };
}
