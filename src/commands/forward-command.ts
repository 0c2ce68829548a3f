import type { ForwardTarget } from '../domain/forward-target.ts';
import { maskUrl } from '../domain/mask-url.ts';
import type { Message } from '../domain/message.ts';
import { endpointArg, UsageError, type Command, type CommandInput } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const forwardCommand: Command = {
  name: 'forward',
  audience: 'chat',
  summary: "relay an endpoint's deliveries to your own server; list or stop its targets",
  args: [
    endpointArg,
    { name: 'target', label: 'url|off', kind: 'word', optional: true, description: 'the URL to relay to, or off' },
    { name: 'option', label: 'sync|url', kind: 'word', optional: true, description: 'after a URL: sync (the sender gets its answer); after off: the one target to stop' },
  ],
  examples: [['stripe', 'https://app.example.com/webhooks/stripe'], ['stripe', 'https://app.example.com/webhooks/stripe', 'sync'], ['stripe'], ['stripe', 'off']],
  async run(input) {
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const { forwarding } = input.services;
    const [, target, url] = input.args;
    const mine = forwarding.targetsOf(endpoint.id);
    if (target === undefined) return listTargets(input, endpoint.name, mine);
    if (target.toLowerCase() === 'off') {
      const removed = url === undefined ? mine : mine.filter((candidate) => candidate.url === url || maskUrl(candidate.url) === url);
      if (removed.length === 0) throw new UsageError(url === undefined ? `${endpoint.name} forwards nowhere.` : `${endpoint.name} does not forward to ${maskUrl(url)}. ${input.ctx.format('forward', [endpoint.name])} lists its targets.`);
      await forwarding.removeTargets(endpoint, removed);
      return { title: `${endpoint.name}: stopped forwarding to ${removed.map((one) => maskUrl(one.url)).join(', ')}`, tone: 'success', lines: ['Relays already queued for it are still sent.'] };
    }
    const sync = url?.toLowerCase() === 'sync';
    if (url !== undefined && !sync) throw new UsageError(`After the URL only "sync" may follow: ${input.ctx.format('forward', [endpoint.name, '<url>', 'sync'])}.`);
    const added = await forwarding.addTarget(endpoint, target, sync);
    if ('refusal' in added) throw new UsageError(added.refusal);
    return {
      title: `${endpoint.name} forwards to ${maskUrl(added.target.url)}${sync ? ' (sync)' : ''}`,
      tone: 'success',
      lines: [
        'Every new delivery is relayed as it arrived (method, path, query, headers, body), with X-Hookwatch-Delivery as its idempotency key.',
        sync
          ? "Sync: each delivery is stored, then its sender waits for this target and gets its status, headers and body (502 when it cannot be reached), so the sender's own retries apply."
          : 'Network errors, timeouts, 408, 429 and 5xx are retried with backoff; other answers are final. A failing target opens one alert here.',
      ],
    };
  },
};

function listTargets({ ctx, services }: CommandInput, name: string, targets: ForwardTarget[]): Message {
  if (targets.length === 0) return { title: `${name} forwards nowhere`, lines: [`Relay its deliveries with ${ctx.format('forward', [name, 'https://app.example.com/webhooks'])}.`] };
  return {
    title: `${name} forwards to ${targets.length} ${targets.length === 1 ? 'target' : 'targets'}`,
    fields: targets.map((target) => {
      const stats = services.forwarding.health.statsOf(target.id);
      const rate = stats && stats.tries > 0 ? `${Math.round((100 * stats.delivered) / stats.tries)}% of ${stats.tries} tries delivered` : 'not tried since start';
      return { label: `${maskUrl(target.url)}${target.sync ? ' (sync)' : ''}`, value: `last ${stats?.last ?? 'none'} · ${rate} · ${services.forwarding.failing(target.id) ? `failing, ${services.forwarding.queued(target.id)} waiting` : `${services.forwarding.queued(target.id)} queued`}` };
    }),
  };
}
