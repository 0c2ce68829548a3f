import { endpointArg, type Command } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const unmuteCommand: Command = {
  name: 'unmute',
  audience: 'chat',
  summary: 'notify about deliveries again',
  args: [endpointArg],
  examples: [['stripe']],
  async run(input) {
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    await input.services.endpoints.save({ ...endpoint, mutedUntil: null });
    return { title: `${endpoint.name} unmuted`, tone: 'success', lines: ['Each new delivery is notified here again.'] };
  },
};
