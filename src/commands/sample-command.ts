import { sampleSenders } from '../samples/sample-senders.ts';
import { buildSample } from '../samples/build-sample.ts';
import { endpointArg, UsageError, type Command } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

/** An event name goes into a header for some senders: letters, digits and a little punctuation only. */
const EVENT = /^[\w.:/ -]{1,100}$/;
const providers = () => [...sampleSenders.keys()].join(', ');

export const sampleCommand: Command = {
  name: 'sample',
  audience: 'chat',
  summary: "send a realistic sample delivery from a sender to an endpoint, signed with the endpoint's secret when one is set",
  args: [
    endpointArg,
    { name: 'provider', kind: 'choice', choices: [...sampleSenders.keys()], description: 'which sender to imitate' },
    { name: 'event', kind: 'word', optional: true, rest: true, description: "the event type (default: the sender's most common one)" },
  ],
  examples: [['stripe', 'stripe'], ['gh', 'github', 'pull_request']],
  async run(input) {
    const { services } = input;
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const provider = input.args[1]!.toLowerCase();
    const event = input.args[2];
    if (event !== undefined && !EVENT.test(event)) throw new UsageError('An event type is at most 100 letters, digits and . _ : / - or spaces.');
    const sample = buildSample({ provider, ...(event === undefined ? {} : { event }), ...(endpoint.signingSecret ? { secret: endpoint.signingSecret } : {}), at: Math.floor(services.now() / 1000) });
    if (!sample) throw new UsageError(`No sample for "${provider}". Samples: ${providers()}.`);
    const answer = await services.sendToEndpoint(endpoint, sample);
    return {
      title: `Sample ${provider} delivery sent to ${endpoint.name}`,
      tone: answer.status < 300 ? 'success' : 'warning',
      lines: [
        `The endpoint answered ${answer.status}; its notification follows like any delivery's.`,
        endpoint.signingSecret ? "Signed with the endpoint's secret." : `Unsigned: the endpoint has no secret (${input.ctx.format('secret', [endpoint.name, '<secret>'])}).`,
      ],
    };
  },
};
