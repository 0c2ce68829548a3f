import { deliveryIdTime } from '../domain/ids.ts';
import { formatAgo } from '../domain/format.ts';
import type { Button } from '../domain/message.ts';
import { UsageError, type Command } from './command.ts';
import { endpointUrl, notificationState, sendFailure } from './endpoint-text.ts';

/** Ten endpoints (two lines each) fit every platform's message: Telegram's 4,096 characters, Discord's 25 fields. */
export const LIST_PAGE_SIZE = 10;

export const listCommand: Command = {
  name: 'list',
  audience: 'caller',
  summary: `this chat's endpoints, ${LIST_PAGE_SIZE} a page: URL, deliveries, last delivery, muted or not`,
  args: [{ name: 'page', kind: 'count', optional: true, description: 'which page (default 1); Next and Previous buttons page too' }],
  examples: [[], ['2']],
  async run({ args, ctx, services }) {
    const page = args[0] === undefined ? 1 : Number(args[0]);
    if (!Number.isInteger(page) || page < 1) throw new UsageError(`"${args[0]}" is not a page number: use 1, 2, …`);
    const mine = await services.endpoints.listForChat(ctx.chat);
    if (mine.length === 0) {
      return { title: 'No endpoints yet', lines: [`Create one with ${ctx.format('new', ['stripe'])}.`] };
    }
    const pages = Math.ceil(mine.length / LIST_PAGE_SIZE);
    if (page > pages) throw new UsageError(`There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of endpoints: ${ctx.format('list', [String(pages)])} is the last.`);
    const now = services.now();
    const shown = mine.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
    const fields = await Promise.all(
      shown.map(async (endpoint) => {
        const [count, newest, sendError] = await Promise.all([services.deliveries.count(endpoint.id), services.deliveries.newestId(endpoint.id), services.sendErrors.get(endpoint.id)]);
        const last = newest === undefined ? 'nothing received yet' : `last ${formatAgo(deliveryIdTime(newest), now)}`;
        const failure = sendError ? `\nlast notification ${sendFailure(sendError)}` : '';
        return { label: endpoint.name, value: `${endpointUrl(services, endpoint)}\n${count} stored · ${last} · ${notificationState(endpoint, now)}${failure}` };
      }),
    );
    if (pages === 1) return { title: `Endpoints (${mine.length})`, fields };
    const buttons: Button[] = [
      ...(page > 1 ? [{ label: 'Previous', action: { command: 'list', args: [String(page - 1)] } }] : []),
      ...(page < pages ? [{ label: 'Next', action: { command: 'list', args: [String(page + 1)] } }] : []),
    ];
    return { title: `Endpoints (${mine.length}), page ${page} of ${pages}`, fields, buttons };
  },
};
