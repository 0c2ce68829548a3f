import { alertSchema, openAlertKey, type Alert } from '../domain/alert.ts';
import type { ChatRef } from '../domain/chat.ts';
import { deliveryIdFloor } from '../domain/ids.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';
import type { OutboxEntry } from './outbox-repository.ts';

export type AlertRepository = ReturnType<typeof createAlertRepository>;

/**
 * Alerts, written whole by the one alert service of the process (it serialises its changes). An alert
 * and the chat message it causes are one write, as a delivery and its notification are.
 */
export function createAlertRepository(store: KeyValueStore) {
  const parse = (value: unknown) => (value === undefined ? undefined : alertSchema.parse(value));
  const outboxSet = (message: OutboxEntry | undefined): Array<[string, unknown]> => (message ? [[keys.outboxEntry(message.deliveryId, message.chat), message]] : []);

  return {
    async get(id: string): Promise<Alert | undefined> {
      return parse(await store.get(keys.alert(id)));
    },

    /** Every open alert (bounded by subjects times kinds: one open alert each). */
    async allOpen(): Promise<Alert[]> {
      const ids = (await store.scan(keys.openAlerts)).map((entry) => String(entry.value));
      return (await store.getMany(ids.map(keys.alert))).map(parse).filter((alert): alert is Alert => alert !== undefined);
    },

    /** A chat's alerts whose id starts with `prefix` (at most two: enough to tell ambiguity). */
    async findForChat(chat: ChatRef, prefix: string): Promise<Alert[]> {
      const ids = (await store.scan(keys.chatAlerts(chat) + prefix, { keysOnly: true, limit: 2 })).map((entry) => lastSegment(entry.key));
      return (await store.getMany(ids.map(keys.alert))).map(parse).filter((alert): alert is Alert => alert !== undefined);
    },

    /** A chat's alerts opened in [startMs, endMs) (alert ids sort by opening time), oldest first. */
    async openedBetween(chat: ChatRef, startMs: number, endMs: number): Promise<Alert[]> {
      const ids = (await store.scan(keys.chatAlerts(chat), { from: deliveryIdFloor(startMs), to: deliveryIdFloor(endMs), keysOnly: true })).map((entry) => lastSegment(entry.key));
      return (await store.getMany(ids.map(keys.alert))).map(parse).filter((alert): alert is Alert => alert !== undefined);
    },

    /** A new alert, its indexes, and its opening message (when told at once) in one write. */
    async open(alert: Alert, message?: OutboxEntry): Promise<void> {
      await store.write({
        set: [
          [keys.alert(alert.id), alert],
          [keys.chatAlert(alert.chat, alert.id), alert.id],
          [keys.openAlert(openAlertKey(alert.kind, alert.subject)), alert.id],
          ...outboxSet(message),
        ],
      });
    },

    /** A changed alert with the message it causes; a resolved one leaves the open index in the same write. */
    async save(alert: Alert, message?: OutboxEntry): Promise<void> {
      await store.write({
        ...(alert.resolvedAt === undefined ? {} : { delete: [keys.openAlert(openAlertKey(alert.kind, alert.subject))] }),
        set: [[keys.alert(alert.id), alert], ...outboxSet(message)],
      });
    },
  };
}
