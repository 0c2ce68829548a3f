import type { Delivery, Rejection } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { collectForwarding, type ForwardingStats } from '../stats/collect-forwarding.ts';
import { collectStats } from '../stats/collect-stats.ts';
import { statsMessage } from '../stats/stats-message.ts';
import { STATS_WINDOWS, statsWindow, type StatsWindow, type StatsWindowName } from '../stats/stats-window.ts';
import { chatEndpoints } from './chat-endpoints.ts';
import { someEndpointArg, UsageError, type Command, type CommandInput } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const statsCommand: Command = {
  name: 'stats',
  audience: 'caller',
  summary: 'traffic by event type and over time, a chart, rejected, invalid signatures, sizes, gaps, forwarding',
  args: [
    someEndpointArg,
    { name: 'period', label: STATS_WINDOWS.join('|'), kind: 'choice', choices: [...STATS_WINDOWS], optional: true, description: 'how far back (default 24h)' },
  ],
  examples: [[], ['stripe', '7d']],
  async run(input) {
    const { endpoints, named, windowName } = await parseArgs(input);
    const window = statsWindow(windowName, input.services.now());
    const { deliveries, rejections } = await loadWindow(input, endpoints, window);
    const stats = collectStats(window, deliveries, rejections);
    const scope = named ? named.name : 'all endpoints';
    return statsMessage(`${scope}, last ${windowName}`, window, stats, await loadForwarding(input, endpoints, window));
  },
};

/** How the relays of each endpoint that forwards went, for the window's deliveries. */
async function loadForwarding(input: CommandInput, endpoints: Endpoint[], window: StatsWindow): Promise<Array<{ endpoint: string; relays: ForwardingStats }>> {
  const forwarding = endpoints.filter((endpoint) => input.services.forwarding.targetsOf(endpoint.id).length > 0);
  return Promise.all(forwarding.map(async (endpoint) => ({ endpoint: endpoint.name, relays: collectForwarding(await input.services.find.relaysBetween(endpoint.id, window.start, window.end)) })));
}

async function loadWindow(input: CommandInput, endpoints: Endpoint[], window: StatsWindow): Promise<{ deliveries: Delivery[]; rejections: Rejection[] }> {
  const { deliveries } = input.services;
  const each = await Promise.all(
    endpoints.map(async (endpoint) => ({
      deliveries: await deliveries.between(endpoint.id, window.start, window.end),
      rejections: await deliveries.rejectionsBetween(endpoint.id, window.start, window.end),
    })),
  );
  return { deliveries: each.flatMap((one) => one.deliveries).sort((a, b) => a.receivedAt - b.receivedAt), rejections: each.flatMap((one) => one.rejections) };
}

async function parseArgs(input: CommandInput): Promise<{ endpoints: Endpoint[]; named?: Endpoint; windowName: StatsWindowName }> {
  const [first, second] = input.args;
  const isWindow = (text: string | undefined): text is StatsWindowName => STATS_WINDOWS.includes(text?.toLowerCase() as StatsWindowName);
  if (second !== undefined && !isWindow(second)) throw new UsageError(`"${second}" is not a period: use ${STATS_WINDOWS.join(', ')}.`);
  if (first === undefined || (second === undefined && isWindow(first))) {
    return { endpoints: await chatEndpoints(input), windowName: first === undefined ? '24h' : (first.toLowerCase() as StatsWindowName) };
  }
  const named = await resolveEndpoint(input, first);
  return { endpoints: [named], named, windowName: second === undefined ? '24h' : (second.toLowerCase() as StatsWindowName) };
}
