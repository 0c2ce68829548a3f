import { deliveryBody, headerValue, type Delivery } from '../domain/delivery.ts';
import { formatDuration } from '../domain/duration.ts';
import { idRef, type Endpoint } from '../domain/endpoint.ts';
import { formatBytes } from '../domain/format.ts';
import type { Message } from '../domain/message.ts';
import { cutText } from '../domain/truncate.ts';
import type { Watch } from '../domain/watch.ts';
import { describeChanges } from './describe-changes.ts';
import { readAnswer } from './read-answer.ts';
import { shownUrl } from './shown-url.ts';

/** How much of a change a notification lists; the Diff button shows the rest. */
export const CHANGES_MAX_LINES = 15;
export const CHANGES_MAX_CHARS = 1500;

/** A watched API's first answer (what it saw) or a change (what changed), for its chat. */
export function buildWatchMessage(note: 'baseline' | 'changed', watch: Watch, endpoint: Endpoint, delivery: Delivery, previous: Delivery | undefined): Message {
  const seen = `${delivery.analysis?.summary ?? ''} · ${headerValue(delivery, 'content-type') ?? 'no content type'} · ${formatBytes(delivery.size)}`;
  const fields = [
    { label: 'Answer', value: seen },
    { label: 'Delivery', value: delivery.id },
  ];
  const payload = { label: 'Payload', action: { command: 'payload', args: [delivery.id] } };
  const truncated = isTruncated(delivery) ? [`Larger than ${formatBytes(deliveryBody(delivery).length)}: only that much is compared and stored.`] : [];
  if (note === 'baseline') {
    return {
      title: `Watching ${endpoint.name}: first answer ${seen}`,
      tone: 'success',
      lines: [`GET ${shownUrl(watch.url)} every ${formatDuration(watch.everyMs)}. A change is told here; an unchanged answer says nothing.`, ...truncated],
      fields,
      time: delivery.receivedAt,
      buttons: [payload],
    };
  }
  const changes = previous ? answerChanges(watch, previous, delivery) : ['The previous answer is no longer stored (retention), so what changed cannot be listed.'];
  const { shown, rest } = fit(changes);
  return {
    title: `${endpoint.name} changed${previous ? `: ${changes.length} ${changes.length === 1 ? 'change' : 'changes'}` : ''}`,
    tone: 'info',
    lines: [...shown, ...(rest > 0 ? [`… and ${rest} more: Diff lists them all.`] : []), ...truncated],
    fields,
    time: delivery.receivedAt,
    buttons: [{ label: 'Diff', action: { command: 'diff', args: [delivery.id] } }, payload, { label: 'Mute 1h', action: { command: 'mute', args: [idRef(endpoint), '1h'] } }],
  };
}

/** Every change between two stored answers of a watch, ignored paths left out. */
export function answerChanges(watch: Watch, previous: Delivery, delivery: Delivery): string[] {
  const changes = describeChanges(readAnswer(deliveryBody(previous)), readAnswer(deliveryBody(delivery)), watch.ignore);
  return changes.length > 0 ? changes : ['Nothing but ignored paths or key order changed since the previous answer.'];
}

function isTruncated(delivery: Delivery): boolean {
  return delivery.size > deliveryBody(delivery).length;
}

function fit(changes: string[]): { shown: string[]; rest: number } {
  const shown: string[] = [];
  let chars = 0;
  for (const line of changes.slice(0, CHANGES_MAX_LINES)) {
    if (chars + line.length > CHANGES_MAX_CHARS && shown.length > 0) break;
    shown.push(line.length > CHANGES_MAX_CHARS ? `${cutText(line, CHANGES_MAX_CHARS)}…` : line);
    chars += line.length;
  }
  return { shown, rest: changes.length - shown.length };
}
