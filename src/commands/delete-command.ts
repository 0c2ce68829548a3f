import { idRef } from '../domain/endpoint.ts';
import { endpointArg, UsageError, type Command } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

const CONFIRM = 'confirm';

export const deleteCommand: Command = {
  name: 'delete',
  audience: 'chat',
  summary: 'remove an endpoint and its deliveries (asks for confirmation)',
  args: [
    endpointArg,
    { name: CONFIRM, kind: 'choice', choices: [CONFIRM], optional: true, description: 'skip the question' },
  ],
  examples: [['stripe']],
  async run(input) {
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const confirmation = input.args[1];
    if (confirmation !== undefined && confirmation.toLowerCase() !== CONFIRM) throw new UsageError(`To delete without asking, add "${CONFIRM}".`);
    const stored = await input.services.deliveries.count(endpoint.id);
    if (confirmation === undefined) {
      const confirmArgs = [idRef(endpoint), CONFIRM];
      return {
        title: `Delete ${endpoint.name}?`,
        tone: 'danger',
        lines: [
          `Its URL stops working at once and its ${stored} stored deliveries are removed. This cannot be undone.`,
          `To go ahead: ${input.ctx.format('delete', confirmArgs)}`,
        ],
        buttons: [{ label: `Delete ${endpoint.name}`, style: 'danger', action: { command: 'delete', args: confirmArgs } }],
      };
    }
    await input.services.endpoints.remove(endpoint);
    await input.services.alerts.service.endpointDeleted(endpoint.id);
    return { title: `${endpoint.name} deleted`, tone: 'success', lines: [`Removed with its ${stored} stored deliveries. Its URL now answers 404.`] };
  },
};
