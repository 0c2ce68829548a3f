import type { Endpoint } from '../domain/endpoint.ts';
import { someEndpointArg, UsageError, type Command, type CommandInput } from './command.ts';
import { chatEndpoints } from './chat-endpoints.ts';
import { deliveryLine } from './delivery-line.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

const DEFAULT_COUNT = 5;
const MAX_COUNT = 50;

export const lastCommand: Command = {
  name: 'last',
  audience: 'caller',
  summary: 'the most recent deliveries, newest first, each with its id',
  args: [
    someEndpointArg,
    { name: 'n', kind: 'count', optional: true, description: `how many (default ${DEFAULT_COUNT}, at most ${MAX_COUNT})` },
  ],
  examples: [[], ['stripe', '10']],
  async run(input) {
    const { endpoints, count } = await parseArgs(input);
    const recent = (await Promise.all(endpoints.map((endpoint) => input.services.deliveries.recent(endpoint.id, count))))
      .flat()
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, count);
    const names = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint.name]));
    const scope = endpoints.length === 1 ? endpoints[0]!.name : 'all endpoints';
    if (recent.length === 0) return { title: `No deliveries yet (${scope})` };
    return {
      title: `Last ${recent.length} deliveries (${scope})`,
      lines: recent.map((delivery) => deliveryLine(delivery, endpoints.length > 1 ? names.get(delivery.endpointId) : undefined)),
      buttons: [{ label: 'Payload of newest', action: { command: 'payload', args: [recent[0]!.id] } }],
    };
  },
};

async function parseArgs(input: CommandInput): Promise<{ endpoints: Endpoint[]; count: number }> {
  const [first, second] = input.args;
  const isCount = (text: string | undefined) => text !== undefined && /^\d+$/.test(text);
  if (first === undefined) return { endpoints: await chatEndpoints(input), count: DEFAULT_COUNT };
  if (second === undefined && isCount(first)) {
    const named = (await input.services.endpoints.listForChat(input.ctx.chat)).some((endpoint) => endpoint.name === first);
    if (!named) return { endpoints: await chatEndpoints(input), count: toCount(first) };
  }
  if (second !== undefined && !isCount(second)) throw new UsageError(`"${second}" is not a number of deliveries (1-${MAX_COUNT}).`);
  return { endpoints: [await resolveEndpoint(input, first)], count: second === undefined ? DEFAULT_COUNT : toCount(second) };
}

function toCount(text: string): number {
  const count = Number(text);
  if (count < 1 || count > MAX_COUNT) throw new UsageError(`Ask for 1 to ${MAX_COUNT} deliveries.`);
  return count;
}
