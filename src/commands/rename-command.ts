import { ENDPOINT_NAME_PATTERN } from '../domain/endpoint.ts';
import { endpointArg, UsageError, type Command } from './command.ts';
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
    if (!ENDPOINT_NAME_PATTERN.test(name)) {
      throw new UsageError('A name is 1-40 characters: letters, digits, "-", "_" or ".", starting with a letter or digit.');
    }
    const mine = await input.services.endpoints.listForChat(input.ctx.chat);
    if (mine.some((other) => other.name === name && other.id !== endpoint.id)) throw new UsageError(`You already have an endpoint named "${name}".`);
    await input.services.endpoints.save({ ...endpoint, name });
    return { title: `${endpoint.name} is now ${name}`, tone: 'success', lines: ['The URL has not changed.'] };
  },
};
