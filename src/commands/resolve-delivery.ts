import type { Delivery } from '../domain/delivery.ts';
import { DELIVERY_ID_PATTERN } from '../domain/ids.ts';
import { UsageError, type CommandInput } from './command.ts';

/** `<delivery>`: an id, or an unambiguous prefix, among this chat's endpoints only. */
export async function resolveDelivery({ ctx, services }: CommandInput, text: string): Promise<Delivery> {
  const prefix = text.toLowerCase();
  const notFound = new UsageError(`No delivery "${text}" in this chat. ${ctx.format('last')} lists recent ones with their ids.`);
  if (!DELIVERY_ID_PATTERN.test(prefix)) throw notFound;
  const mine = await services.endpoints.listForChat(ctx.chat);
  const found = await services.deliveries.findByPrefix(mine.map((endpoint) => endpoint.id), prefix);
  if (found.length > 1) throw new UsageError(`"${text}" matches more than one delivery: give more of the id.`);
  const delivery = found[0] && (await services.deliveries.get(found[0]));
  if (!delivery) throw notFound;
  return delivery;
}
