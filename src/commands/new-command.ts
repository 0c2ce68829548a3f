import { addEndpoint, MAX_ENDPOINTS_PER_CHAT } from './add-endpoint.ts';
import type { Command } from './command.ts';
import { endpointUrl } from './endpoint-text.ts';

export const newCommand: Command = {
  name: 'new',
  audience: 'chat',
  summary: `create an endpoint owned by this chat and get its URL (at most ${MAX_ENDPOINTS_PER_CHAT} a chat)`,
  args: [{ name: 'name', kind: 'name', optional: true, description: 'a short name, e.g. stripe' }],
  examples: [['stripe'], []],
  async run(input) {
    const endpoint = await addEndpoint(input, input.args[0], 'hook');
    const url = endpointUrl(input.services, endpoint);
    return {
      title: `Endpoint ${endpoint.name} created`,
      tone: 'success',
      lines: [url, 'Every request to this URL (any method, any path below it) shows up here. Keep the URL secret: it is the only key.'],
      code: { language: 'shell', content: `curl -X POST ${url} -H 'content-type: application/json' -d '{"hello":"world"}'` },
    };
  },
};
