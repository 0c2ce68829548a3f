import { endpointArg, type Command } from './command.ts';
import { checkEndpointName } from './check-endpoint-name.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const renameCommand: Command = {
  name: 'rename',
  audience: 'chat',
  summary: 'give an endpoint a new name (its URL stays the same)',
  args: [
    endpointArg,
    { name: 'name', kind: 'name', description: 'the new name' },
  ],
  examples: [['hook-1', 'stripe']],
  async run(input) {
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const name = input.args[1]!.toLowerCase();
    checkEndpointName(name, await input.services.endpoints.listForChat(input.ctx.chat), endpoint);
    await input.services.endpoints.save({ ...endpoint, name });
    return { title: `${endpoint.name} is now ${name}`, tone: 'success', lines: ['The URL has not changed.'] };
  },
};
