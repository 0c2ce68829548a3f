import type { Alert } from '../domain/alert.ts';
import { DELIVERY_ID_PATTERN } from '../domain/ids.ts';
import { UsageError, type CommandInput } from './command.ts';

/** `<alert>`: an id, or an unambiguous prefix, among this chat's alerts only (another chat's is unknown here). */
export async function resolveAlert({ ctx, services }: CommandInput, text: string): Promise<Alert> {
  const prefix = text.toLowerCase();
  const notFound = new UsageError(`No alert "${text}" in this chat. ${ctx.format('alerts')} lists the open ones with their ids.`);
  if (!DELIVERY_ID_PATTERN.test(prefix)) throw notFound;
  const found = await services.alerts.repo.findForChat(ctx.chat, prefix);
  if (found.length > 1) throw new UsageError(`"${text}" matches more than one alert: give more of the id.`);
  if (!found[0]) throw notFound;
  return found[0];
}
