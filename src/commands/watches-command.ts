import { formatDuration } from '../domain/duration.ts';
import { formatAgo } from '../domain/format.ts';
import type { Watch } from '../domain/watch.ts';
import { shownUrl } from '../watches/shown-url.ts';
import type { Command } from './command.ts';

export const watchesCommand: Command = {
  name: 'watches',
  audience: 'caller',
  summary: "this chat's watched APIs: URL, interval, last status, last change",
  args: [],
  examples: [[]],
  async run({ ctx, services }) {
    const mine = await services.endpoints.listForChat(ctx.chat);
    const watches = await services.watches.repo.getMany(mine.map((endpoint) => endpoint.id));
    const watched = mine.flatMap((endpoint, i) => (watches[i] ? [{ endpoint, watch: watches[i] as Watch }] : []));
    if (watched.length === 0) return { title: 'No watches', lines: [`Poll an API with ${ctx.format('watch', ['https://api.example.com/orders/42', 'every', '1m', 'as', 'order42'])}.`] };
    const states = await services.watches.repo.states(watched.map(({ endpoint }) => endpoint.id));
    const now = services.now();
    return {
      title: `Watches (${watched.length})`,
      fields: watched.map(({ endpoint, watch }, i) => {
        const state = states[i]!;
        const status = state.polledAt === undefined ? 'not polled yet' : `${state.error ?? `HTTP ${state.status}`} ${formatAgo(state.polledAt, now)}`;
        const changed = state.changedAt === undefined ? '' : ` · changed ${formatAgo(state.changedAt, now)}`;
        return { label: endpoint.name, value: `${shownUrl(watch.url)} · every ${formatDuration(watch.everyMs)} · ${status}${changed}` };
      }),
    };
  },
};
