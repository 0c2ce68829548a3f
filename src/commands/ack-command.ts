import { alertName } from '../domain/alert.ts';
import { formatTime } from '../domain/format.ts';
import type { Command } from './command.ts';
import { resolveAlert } from './resolve-alert.ts';

export const ackCommand: Command = {
  name: 'ack',
  audience: 'chat',
  summary: 'acknowledge an alert: no reminders until it resolves',
  args: [{ name: 'alert', kind: 'word', description: 'alert id (or its start)' }],
  examples: [['0g3kx1q2']],
  async run(input) {
    const alert = await input.services.alerts.service.acknowledge(await resolveAlert(input, input.args[0]!));
    if (alert.resolvedAt !== undefined) return { title: `${alertName(alert)}: already resolved at ${formatTime(alert.resolvedAt)}`, lines: [`By ${alert.resolution ?? 'a delivery'}.`] };
    return {
      title: `Acknowledged: ${alertName(alert)}`,
      tone: 'success',
      lines: [`No reminders until it resolves; this chat is told when it does. Acknowledged at ${formatTime(alert.acknowledgedAt ?? input.services.now())}.`],
    };
  },
};
