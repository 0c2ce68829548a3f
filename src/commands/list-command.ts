import { deliveryIdTime } from '../domain/ids.ts';
import { formatAgo } from '../domain/format.ts';
import type { Command } from './command.ts';
import { endpointUrl, notificationState } from './endpoint-text.ts';

export const listCommand: Command = {
  name: 'list',
  audience: 'caller',
  summary: "this chat's endpoints: URL, deliveries, last delivery, muted or not",
  args: [],
  examples: [[]],
  async run({ ctx, services }) {
    const mine = await services.endpoints.listForChat(ctx.chat);
    if (mine.length === 0) {
      return { title: 'No endpoints yet', lines: [`Create one with ${ctx.format('new', ['stripe'])}.`] };
    }
    const now = services.now();
    const fields = await Promise.all(
      mine.map(async (endpoint) => {
        const [count, newest] = await Promise.all([services.deliveries.count(endpoint.id), services.deliveries.newestId(endpoint.id)]);
        const last = newest === undefined ? 'nothing received yet' : `last ${formatAgo(deliveryIdTime(newest), now)}`;
        return { label: endpoint.name, value: `${endpointUrl(services, endpoint)}\n${count} stored · ${last} · ${notificationState(endpoint, now)}` };
      }),
    );
    return { title: `Endpoints (${mine.length})`, fields };
  },
};
