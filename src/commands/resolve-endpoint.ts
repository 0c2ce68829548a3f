import { ID_REF_PREFIX, type Endpoint } from '../domain/endpoint.ts';
import { UsageError, type CommandInput } from './command.ts';

/**
 * `<endpoint>`: `id:<id>` (what buttons carry) by id only; else a name of this chat's, or an
 * unambiguous prefix of an id. A name that is also another endpoint's whole id (stored before
 * such names were refused) is refused as ambiguous rather than guessed.
 */
export async function resolveEndpoint({ ctx, services }: CommandInput, text: string): Promise<Endpoint> {
  const mine = await services.endpoints.listForChat(ctx.chat);
  const wanted = text.toLowerCase();
  if (wanted.startsWith(ID_REF_PREFIX)) {
    const byRef = mine.find((endpoint) => endpoint.id === wanted.slice(ID_REF_PREFIX.length));
    if (byRef) return byRef;
    throw new UsageError(`No endpoint with id "${text.slice(ID_REF_PREFIX.length)}" in this chat: it may have been deleted.`);
  }
  const byName = mine.find((endpoint) => endpoint.name === wanted);
  const byWholeId = mine.find((endpoint) => endpoint.id === wanted);
  if (byName && byWholeId && byName !== byWholeId) {
    throw new UsageError(`"${text}" is the name of one endpoint and the id of another (${byWholeId.name}). Use ${ID_REF_PREFIX}${byWholeId.id} for that one, or rename ${byName.name}.`);
  }
  if (byName) return byName;
  const byId = mine.filter((endpoint) => endpoint.id.startsWith(wanted));
  if (byId.length === 1) return byId[0]!;
  if (byId.length > 1) throw new UsageError(`"${text}" matches ${byId.map((e) => e.name).join(', ')}. Use the name.`);
  if (mine.length === 0) throw new UsageError(`You have no endpoints yet. Create one with ${ctx.format('new', ['stripe'])}.`);
  throw new UsageError(`No endpoint named "${text}". Yours: ${mine.map((e) => e.name).join(', ')}.`);
}
