import { endpointArg, UsageError, type Command } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

const CLEAR = 'clear';
const MAX_LENGTH = 1000;

export const secretCommand: Command = {
  name: 'secret',
  audience: 'chat',
  summary: "store the sender's signing secret so each delivery is verified (never shown again)",
  args: [
    endpointArg,
    { name: 'secret', kind: 'word', description: `the signing secret (several, space-free, comma-separated while rotating), or "${CLEAR}"` },
  ],
  examples: [['stripe', 'whsec_…'], ['stripe', CLEAR]],
  async run(input) {
    const endpoint = await resolveEndpoint(input, input.args[0]!);
    const secret = input.args[1]!;
    if (secret.toLowerCase() === CLEAR) {
      const { signingSecret: _dropped, ...rest } = endpoint;
      await input.services.endpoints.save(rest);
      return { title: `Signing secret of ${endpoint.name} cleared`, tone: 'success', lines: ['Deliveries are shown as unsigned from now on.'] };
    }
    if (secret.length > MAX_LENGTH) throw new UsageError(`A signing secret is at most ${MAX_LENGTH} characters.`);
    await input.services.endpoints.save({ ...endpoint, signingSecret: secret });
    return {
      title: `Signing secret of ${endpoint.name} set`,
      tone: 'success',
      lines: ['Each new delivery now says whether its signature is valid, and why not. The secret is stored and never shown again; delete your message if others can read this chat.'],
    };
  },
};
