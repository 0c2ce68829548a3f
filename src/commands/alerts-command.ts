import { alertName } from '../domain/alert.ts';
import { formatAgo, formatTime } from '../domain/format.ts';
import type { Command } from './command.ts';

export const alertsCommand: Command = {
  name: 'alerts',
  audience: 'caller',
  summary: "this chat's open alerts, newest first",
  args: [],
  examples: [[]],
  async run({ ctx, services }) {
    const mine = (await services.alerts.service.listOpen())
      .filter((alert) => alert.chat.platform === ctx.chat.platform && alert.chat.chatId === ctx.chat.chatId)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    if (mine.length === 0) return { title: 'No open alerts', tone: 'success', lines: [`Watch an endpoint for silence with ${ctx.format('expect', ['stripe', '1h'])}.`] };
    const now = services.now();
    return {
      title: `Open alerts (${mine.length})`,
      fields: mine.map((alert) => ({
        label: `${alertName(alert)} · ${alert.id}`,
        value: `${alert.message} · opened ${formatTime(alert.openedAt)} (${formatAgo(alert.openedAt, now)}) · ${alert.acknowledgedAt === undefined ? `not acknowledged: ${ctx.format('ack', [alert.id])}` : 'acknowledged'}`,
      })),
    };
  },
};
