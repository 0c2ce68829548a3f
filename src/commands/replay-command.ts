import { describeAttempt } from '../domain/forward-target.ts';
import { maskUrl } from '../domain/mask-url.ts';
import type { Message } from '../domain/message.ts';
import type { TryResult } from '../forward/create-relay-try.ts';
import { UsageError, type Command, type CommandInput } from './command.ts';
import { resolveDelivery } from './resolve-delivery.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

export const replayCommand: Command = {
  name: 'replay',
  audience: 'chat',
  summary: "send a stored delivery again to the endpoint's targets or a URL; or every failed one",
  args: [
    { name: 'delivery', label: 'delivery|endpoint', kind: 'word', description: 'delivery id (or its start), or an endpoint with failed' },
    { name: 'to', label: 'url|failed', kind: 'word', optional: true, description: 'a URL to send it to once, or failed (with an endpoint)' },
  ],
  examples: [['01jd3k8q2m'], ['01jd3k8q2m', 'http://localhost:8080/hook'], ['stripe', 'failed']],
  async run(input) {
    const [first, to] = input.args as [string, string | undefined];
    if (to?.toLowerCase() === 'failed') return redrive(input, first);
    const delivery = await resolveDelivery(input, first);
    const { forwarding } = input.services;
    if (to === undefined && forwarding.targetsOf(delivery.endpointId).length === 0) {
      throw new UsageError(`Its endpoint forwards nowhere: give a URL (${input.ctx.format('replay', [delivery.id, 'https://app.example.com/hook'])}) or add a target with forward.`);
    }
    const replayed = await forwarding.replay(delivery, to);
    if ('refusal' in replayed) throw new UsageError(replayed.refusal);
    const { results } = replayed;
    const delivered = results.filter(({ result }) => result.kind === 'delivered').length;
    return {
      title: `Replayed ${delivery.id}: ${delivered} of ${results.length} delivered`,
      tone: delivered === results.length ? 'success' : 'warning',
      lines: results.map(({ url, result }) => `${maskUrl(url)} ${describeResult(result)}`),
      buttons: [{ label: 'Attempts', action: { command: 'attempts', args: [delivery.id] } }],
    };
  },
};

function describeResult(result: TryResult): string {
  if (result.kind === 'gone') return '-> not sent: the delivery or its endpoint is gone';
  const outcome = describeAttempt(result.attempt);
  if (result.kind === 'retry') return `${outcome} (retrying with backoff)`;
  return result.kind === 'final' ? `${outcome} (final)` : outcome;
}

/** `replay <endpoint> failed`: every relay of it that failed for good, sent again at the targets' pace, told in one summary. */
async function redrive(input: CommandInput, name: string): Promise<Message> {
  const endpoint = await resolveEndpoint(input, name);
  const tally = await input.services.forwarding.redrive(endpoint);
  const total = tally.delivered + tally.failed + tally.skipped;
  if (total === 0) return { title: `${endpoint.name}: no failed relays to replay`, tone: 'success' };
  return {
    title: `${endpoint.name}: replayed ${total} failed ${total === 1 ? 'relay' : 'relays'}`,
    tone: tally.failed + tally.skipped === 0 ? 'success' : 'warning',
    lines: [
      `${tally.delivered} delivered, ${tally.failed} failed again${tally.failed > 0 ? ' (retried with backoff where the answer allows; told again if they fail for good)' : ''}.`,
      ...(tally.skipped > 0 ? [`${tally.skipped} skipped: their target was removed or the delivery is no longer stored.`] : []),
    ],
  };
}
