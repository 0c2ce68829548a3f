import type { Endpoint } from '../domain/endpoint.ts';
import type { Message } from '../domain/message.ts';
import { parseFindQuery } from '../find/parse-find-query.ts';
import { chatEndpoints } from './chat-endpoints.ts';
import { someEndpointArg, type Command, type CommandInput } from './command.ts';
import { deliveryLine } from './delivery-line.ts';

export const FIND_PAGE_SIZE = 20;

export const findCommand: Command = {
  name: 'find',
  audience: 'caller',
  summary: 'deliveries matching a query, newest first, 20 a page',
  args: [
    someEndpointArg,
    { name: 'query', kind: 'word', rest: true, description: 'all must hold: words, "a phrase", path=value, path>n, path<n, event:invoice.*, provider:github, signature:invalid, since:2h, status:failed (forwarding: delivered, pending, 404, 5xx)' },
  ],
  examples: [['refund', '1234'], ['stripe', 'data.object.amount>1000', 'since:7d']],
  async run(input) {
    const { endpoints, named, text } = await scopeOf(input);
    const query = parseFindQuery(text, input.services.now());
    const { found, total } = await input.services.find.search(endpoints.map((endpoint) => endpoint.id), query, FIND_PAGE_SIZE);
    const scope = named ? named.name : 'all endpoints';
    const typed = query.terms.join(' ');
    if (found.length === 0) return { title: `Nothing ${query.beforeId ? 'more ' : ''}matches ${typed} (${scope})`, ...(query.forwarding ? forwardsNowhere(input, endpoints, named) : {}) };
    const deliveries = (await Promise.all(found.map((ref) => input.services.deliveries.get(ref)))).filter((delivery) => delivery !== undefined);
    const names = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint.name]));
    const message: Message = {
      // A later page counts from where it starts.
      title: `${total} ${query.beforeId ? 'older ' : ''}${total === 1 ? 'delivery matches' : 'deliveries match'} ${typed} (${scope})`,
      lines: deliveries.map((delivery) => deliveryLine(delivery, named ? undefined : names.get(delivery.endpointId))),
      buttons: [{ label: 'Payload of newest', action: { command: 'payload', args: [found[0]!.deliveryId] } }],
    };
    if (total <= found.length) return message;
    const next = { command: 'find', args: [...(named ? [named.name] : []), ...query.terms, `before:${found.at(-1)!.deliveryId}`] };
    return {
      ...message,
      // The line as well as the button: a long query does not fit every platform's button data.
      lines: [...message.lines!, `${total - found.length} more: ${input.ctx.format(next.command, next.args)}`],
      buttons: [...message.buttons!, { label: `Next ${FIND_PAGE_SIZE}`, action: next }],
    };
  },
};

/** Why a `status:` query found nothing, when the reason is that no endpoint searched forwards anywhere. */
function forwardsNowhere(input: CommandInput, endpoints: Endpoint[], named: Endpoint | undefined): Pick<Message, 'lines'> {
  if (endpoints.some((endpoint) => input.services.forwarding.targetsOf(endpoint.id).length > 0)) return {};
  const who = named ? `${named.name} forwards nowhere` : 'None of these endpoints forwards anywhere';
  return { lines: [`${who}: status: is about relays to your own server (${input.ctx.format('forward', [named?.name ?? '<endpoint>', '<url>'])} sets one up).`] };
}

/** `find stripe refund`: the first word is an endpoint when it names one of the chat's, else part of the query. */
async function scopeOf(input: CommandInput): Promise<{ endpoints: Endpoint[]; named?: Endpoint; text: string }> {
  const mine = await chatEndpoints(input);
  const [first, rest] = input.args;
  const named = rest === undefined ? undefined : mine.find((endpoint) => endpoint.name === first!.toLowerCase());
  if (named) return { endpoints: [named], named, text: rest! };
  return { endpoints: mine, text: input.args.join(' ') };
}
