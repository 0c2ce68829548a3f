import type { Endpoint } from '../domain/endpoint.ts';
import { deliveryIdTime } from '../domain/ids.ts';
import type { Message } from '../domain/message.ts';
import type { OutboxEntry } from '../store/outbox-repository.ts';

/** A relay that failed for good, told once, with Replay: built from its entry alone, so it cannot fail to build. */
export function buildRelayFailure(relay: NonNullable<OutboxEntry['relay']>, endpoint: Endpoint, messageId: string): Message {
  return {
    title: `${endpoint.name}: forwarding of ${relay.deliveryId} failed`,
    tone: 'danger',
    time: deliveryIdTime(messageId),
    lines: [`${relay.url} ${relay.outcome}`, `${relay.tries} ${relay.tries === 1 ? 'try' : 'tries'}; not tried again unless replayed.`],
    buttons: [
      { label: 'Replay', action: { command: 'replay', args: [relay.deliveryId] }, style: 'primary' },
      { label: 'Attempts', action: { command: 'attempts', args: [relay.deliveryId] } },
    ],
  };
}
