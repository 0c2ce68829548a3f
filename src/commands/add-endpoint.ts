import type { Endpoint } from '../domain/endpoint.ts';
import { newEndpointId, newToken } from '../domain/ids.ts';
import { UsageError, type CommandInput } from './command.ts';
import { checkEndpointName } from './check-endpoint-name.ts';

export const MAX_ENDPOINTS_PER_CHAT = 100;

/** A new endpoint of this chat (`new`, or `watch` for an API's answers), named `name` or `<stem>-<n>`. */
export async function addEndpoint({ ctx, services }: Pick<CommandInput, 'ctx' | 'services'>, name: string | undefined, stem: string): Promise<Endpoint> {
  const mine = await services.endpoints.listForChat(ctx.chat);
  if (mine.length >= MAX_ENDPOINTS_PER_CHAT) throw new UsageError(`This chat has ${mine.length} endpoints, the most it can have. Delete one first.`);
  const taken = new Set(mine.map((endpoint) => endpoint.name));
  const chosen = name?.toLowerCase() ?? firstFree(taken, stem);
  checkEndpointName(chosen, mine);
  const endpoint: Endpoint = { id: freeId(taken, chosen), token: newToken(), name: chosen, owner: ctx.chat, createdAt: services.now(), mutedUntil: null };
  await services.endpoints.save(endpoint);
  return endpoint;
}

/** An id that is none of this chat's names (nor the new one), so a typed id never means a name. */
function freeId(taken: Set<string>, name: string): string {
  for (;;) {
    const id = newEndpointId();
    if (!taken.has(id) && id !== name) return id;
  }
}

function firstFree(taken: Set<string>, stem: string): string {
  for (let n = 1; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}
