import { newEndpointId, newToken } from '../domain/ids.ts';
import { UsageError, type Command } from './command.ts';
import { checkEndpointName } from './check-endpoint-name.ts';
import { endpointUrl } from './endpoint-text.ts';

const MAX_ENDPOINTS_PER_CHAT = 100;

export const newCommand: Command = {
  name: 'new',
  audience: 'chat',
  summary: `create an endpoint owned by this chat and get its URL (at most ${MAX_ENDPOINTS_PER_CHAT} a chat)`,
  args: [{ name: 'name', kind: 'name', optional: true, description: 'a short name, e.g. stripe' }],
  examples: [['stripe'], []],
  async run({ args, ctx, services }) {
    const mine = await services.endpoints.listForChat(ctx.chat);
    if (mine.length >= MAX_ENDPOINTS_PER_CHAT) throw new UsageError(`This chat has ${mine.length} endpoints, the most it can have. Delete one first.`);
    const taken = new Set(mine.map((endpoint) => endpoint.name));
    const name = args[0]?.toLowerCase() ?? firstFree(taken);
    checkEndpointName(name, mine);
    const endpoint = { id: freeId(taken, name), token: newToken(), name, owner: ctx.chat, createdAt: services.now(), mutedUntil: null };
    await services.endpoints.save(endpoint);
    const url = endpointUrl(services, endpoint);
    return {
      title: `Endpoint ${name} created`,
      tone: 'success',
      lines: [url, 'Every request to this URL (any method, any path below it) shows up here. Keep the URL secret: it is the only key.'],
      code: { language: 'shell', content: `curl -X POST ${url} -H 'content-type: application/json' -d '{"hello":"world"}'` },
    };
  },
};

/** An id that is none of this chat's names (nor the new one), so a typed id never means a name. */
function freeId(taken: Set<string>, name: string): string {
  for (;;) {
    const id = newEndpointId();
    if (!taken.has(id) && id !== name) return id;
  }
}

function firstFree(taken: Set<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`hook-${n}`)) return `hook-${n}`;
}
