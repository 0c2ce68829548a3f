import type { Endpoint } from '../domain/endpoint.ts';
import { UsageError, type CommandInput } from './command.ts';

/** `<endpoint>`: a name of this chat's, or an unambiguous prefix of an id. */
export async function resolveEndpoint({ ctx, services }: CommandInput, text: string): Promise<Endpoint> {
  const mine = await services.endpoints.listForChat(ctx.chat);
  const wanted = text.toLowerCase();
  const byName = mine.find((endpoint) => endpoint.name === wanted);
  if (byName) return byName;
  const byId = mine.filter((endpoint) => endpoint.id.startsWith(wanted));
  if (byId.length === 1) return byId[0]!;
  if (byId.length > 1) throw new UsageError(`"${text}" matches ${byId.map((e) => e.name).join(', ')}. Use the name.`);
  if (mine.length === 0) throw new UsageError(`You have no endpoints yet. Create one with ${ctx.format('new', ['stripe'])}.`);
  throw new UsageError(`No endpoint named "${text}". Yours: ${mine.map((e) => e.name).join(', ')}.`);
}
