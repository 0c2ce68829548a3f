import { z } from 'zod';
import { chatRefSchema } from './chat.ts';

/**
 * What an alert is about: an endpoint, or one of its forwarding targets (`id` is then still the
 * endpoint's, so a deleted endpoint ends its targets' alerts too). API watches add their own `type`
 * here and reuse everything else (repository, scheduler, messages, `alerts`, `ack`).
 */
export const alertSubjectSchema = z.object({
  /** `target`: a forwarding target; `watch`: an API watch, by the id of the endpoint that keeps its answers. */
  type: z.enum(['endpoint', 'target', 'watch']),
  id: z.string(),
  /** For a learned (auto) silence: the event type that stopped arriving. */
  event: z.string().optional(),
  /** For a failing forwarding target: the target's id. */
  target: z.string().optional(),
});
export type AlertSubject = z.infer<typeof alertSubjectSchema>;

/** `target`: a forwarding target failing; `failing`: a watched API answers an error status or cannot be reached. */
export const alertKindSchema = z.enum(['silence', 'signature', 'target', 'failing']);
export type AlertKind = z.infer<typeof alertKindSchema>;

/**
 * A change of the alerts made by the one process that keeps them (with several processes, the leader):
 * another process (a command, a relay's first try) hands it over as this.
 */
/** What opening an alert takes (AlertService.open). */
export const openRequestSchema = z.object({
  kind: alertKindSchema,
  subject: alertSubjectSchema,
  subjectName: z.string(),
  chat: chatRefSchema,
  since: z.number(),
  message: z.string(),
  count: z.number(),
  /** Muted endpoints keep their alerts quiet until unmuted. */
  muted: z.boolean(),
});
export type OpenRequest = z.infer<typeof openRequestSchema>;

export const alertChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('open'), request: openRequestSchema }),
  z.object({ op: z.literal('acknowledge'), alertId: z.string() }),
  z.object({ op: z.literal('endpointDeleted'), endpointId: z.string() }),
  z.object({ op: z.literal('resolve'), kind: alertKindSchema, subject: alertSubjectSchema, resolution: z.string() }),
]);
export type AlertChange = z.infer<typeof alertChangeSchema>;

export const alertSchema = z.object({
  id: z.string(),
  kind: alertKindSchema,
  subject: alertSubjectSchema,
  /** The endpoint's name when it opened, so messages read well even after a rename or delete. */
  subjectName: z.string(),
  chat: chatRefSchema,
  /** When the condition began: the last delivery before a silence, the first bad signature of a streak. */
  since: z.number(),
  openedAt: z.number(),
  /** What is wrong, in a line: `expected every 1h`, `wrong secret or changed body`. */
  message: z.string(),
  /** How many times it was seen: bad signatures in the streak, silence checks. */
  count: z.number(),
  /** When the opening message was queued; unset while the endpoint was muted (told on unmute). */
  toldAt: z.number().optional(),
  remindedAt: z.number().optional(),
  acknowledgedAt: z.number().optional(),
  resolvedAt: z.number().optional(),
  /** How it ended: `delivery 0g3k…`, `valid signature`, `expectation turned off`. */
  resolution: z.string().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

/** Event labels come from payloads: an alert keys and shows at most this much of one. */
export const ALERT_EVENT_MAX = 100;

export function alertEvent(label: string): string {
  return label.slice(0, ALERT_EVENT_MAX);
}

/** Opening alerts of one kind for one subject never pile up: this names the one that may be open. */
export function openAlertKey(kind: AlertKind, subject: AlertSubject): string {
  return [kind, subject.type, subject.id, ...(subject.event === undefined ? [] : [encodeURIComponent(subject.event)]), ...(subject.target === undefined ? [] : [subject.target])].join(':');
}

/** `stripe silent`, `stripe silent (invoice.paid)`, `stripe: invalid signatures`: an alert in a list. */
export function alertName(alert: Alert): string {
  if (alert.kind === 'signature') return `${alert.subjectName}: invalid signatures`;
  if (alert.kind === 'target') return `${alert.subjectName}: forwarding failing`;
  if (alert.kind === 'failing') return `${alert.subjectName}: API failing`;
  return `${alert.subjectName} silent${alert.subject.event === undefined ? '' : ` (${alert.subject.event})`}`;
}
