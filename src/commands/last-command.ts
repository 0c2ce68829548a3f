import { headerValue, type Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { formatBytes, formatTime } from '../domain/format.ts';
import { UsageError, type Command, type CommandInput } from './command.ts';
import { describeAnalysis } from '../notify/describe-analysis.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

const DEFAULT_COUNT = 5;
const MAX_COUNT = 50;

export const lastCommand: Command = {
  name: 'last',
  audience: 'caller',
  summary: 'the most recent deliveries, newest first, each with its id',
  args: [
    { name: 'endpoint', kind: 'endpoint', optional: true, description: 'only this endpoint (default: all of this chat)' },
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
      lines: recent.map((delivery) => describe(delivery, endpoints.length > 1 ? names.get(delivery.endpointId) : undefined)),
      buttons: [{ label: 'Payload of newest', action: { command: 'payload', args: [recent[0]!.id] } }],
    };
  },
};

async function parseArgs(input: CommandInput): Promise<{ endpoints: Endpoint[]; count: number }> {
  const [first, second] = input.args;
  const isCount = (text: string | undefined) => text !== undefined && /^\d+$/.test(text);
  if (first === undefined) return { endpoints: await allOf(input), count: DEFAULT_COUNT };
  if (second === undefined && isCount(first)) {
    const named = (await input.services.endpoints.listForChat(input.ctx.chat)).some((endpoint) => endpoint.name === first);
    if (!named) return { endpoints: await allOf(input), count: toCount(first) };
  }
  if (second !== undefined && !isCount(second)) throw new UsageError(`"${second}" is not a number of deliveries (1-${MAX_COUNT}).`);
  return { endpoints: [await resolveEndpoint(input, first)], count: second === undefined ? DEFAULT_COUNT : toCount(second) };
}

async function allOf(input: CommandInput): Promise<Endpoint[]> {
  const mine = await input.services.endpoints.listForChat(input.ctx.chat);
  if (mine.length === 0) throw new UsageError(`You have no endpoints yet. Create one with ${input.ctx.format('new', ['stripe'])}.`);
  return mine;
}

function toCount(text: string): number {
  const count = Number(text);
  if (count < 1 || count > MAX_COUNT) throw new UsageError(`Ask for 1 to ${MAX_COUNT} deliveries.`);
  return count;
}

function describe(delivery: Delivery, endpointName: string | undefined): string {
  const parts = [
    delivery.id,
    formatTime(delivery.receivedAt),
    ...(endpointName ? [endpointName] : []),
    `${delivery.method} ${delivery.subPath || '/'}`,
    ...(delivery.analysis ? [describeAnalysis(delivery.analysis)] : []),
    formatBytes(delivery.size),
    headerValue(delivery, 'content-type') ?? 'no content type',
  ];
  return parts.join(' · ');
}
