import type { Endpoint } from '../domain/endpoint.ts';
import { UsageError, type CommandInput } from './command.ts';

/** Every endpoint of the chat, for commands whose endpoint is optional; none is a mistake to explain. */
export async function chatEndpoints(input: CommandInput): Promise<Endpoint[]> {
  const mine = await input.services.endpoints.listForChat(input.ctx.chat);
  if (mine.length === 0) throw new UsageError(`You have no endpoints yet. Create one with ${input.ctx.format('new', ['stripe'])}.`);
  return mine;
}
