import { UsageError, type Command } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const unwatchCommand: Command = {
  name: 'unwatch',
  audience: 'chat',
  summary: 'stop polling an API (its answers so far stay with its endpoint)',
  args: [{ name: 'name', kind: 'endpoint', description: 'the watch' }],
  examples: [['order42']],
  async run(input) {
    const { services, ctx } = input;
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    if (!(await services.watches.repo.get(endpoint.id))) throw new UsageError(`${endpoint.name} is not a watch. ${ctx.format('watches')} lists them.`);
    await services.watches.repo.remove(endpoint.id);
    await services.alerts.service.resolve('failing', { type: 'watch', id: endpoint.id }, 'the watch was removed');
    return {
      title: `No longer watching ${endpoint.name}`,
      tone: 'success',
      lines: [`Its answers so far stay: ${ctx.format('last', [endpoint.name])}. ${ctx.format('delete', [endpoint.name])} removes them.`],
    };
  },
};
