import { formatDuration } from '../domain/duration.ts';
import { MAX_WATCHES_PER_CHAT, WATCH_DEFAULT_MS, WATCH_MAX_MS, WATCH_MIN_MS } from '../domain/watch.ts';
import { shownUrl } from '../watches/shown-url.ts';
import { addEndpoint } from './add-endpoint.ts';
import { checkWatchUrl } from './check-watch-url.ts';
import { UsageError, type Command, type CommandInput } from './command.ts';
import { changeWatch } from './change-watch.ts';
import { parseWatchWords } from './parse-watch-words.ts';

export const watchCommand: Command = {
  name: 'watch',
  audience: 'chat',
  summary: `poll an API and tell this chat when its answer changes (every 30s to 1d, default 5m; at most ${MAX_WATCHES_PER_CHAT} a chat)`,
  args: [
    { name: 'target', label: 'url|name', kind: 'word', description: 'the URL to poll, or a watch to change' },
    { name: 'options', label: 'every name | header <Name> <value> | ignore <path>', kind: 'word', optional: true, rest: true, description: 'interval and name; or a header to send; or a JSON path to leave out' },
  ],
  examples: [['https://api.example.com/orders/42', 'every', '1m', 'as', 'order42'], ['https://status.example.com', '5m', 'status'], ['order42', 'header', 'Authorization', 'Bearer', '…'], ['order42', 'ignore', 'updated_at']],
  async run(input) {
    const target = input.args[0]!;
    const words = input.args[1]?.split(/\s+/).filter(Boolean) ?? [];
    return /^[a-z][a-z0-9+.-]*:/i.test(target) ? startWatch(input, target, words) : changeWatch(input, target, words);
  },
};

async function startWatch(input: CommandInput, target: string, words: string[]) {
  const { services, ctx } = input;
  const url = await checkWatchUrl(target, services.watches.allowPrivate);
  const { everyMs = WATCH_DEFAULT_MS, name } = parseWatchWords(words);
  if (everyMs < WATCH_MIN_MS || everyMs > WATCH_MAX_MS) throw new UsageError(`Watches poll every 30s to 1d, not every ${formatDuration(everyMs)}.`);
  const mine = await services.endpoints.listForChat(ctx.chat);
  const watched = (await services.watches.repo.getMany(mine.map((endpoint) => endpoint.id))).filter(Boolean).length;
  if (watched >= MAX_WATCHES_PER_CHAT) throw new UsageError(`This chat watches ${watched} APIs, the most it can. ${ctx.format('unwatch', ['<name>'])} one first.`);
  const endpoint = await addEndpoint(input, name, 'watch');
  const at = services.now();
  await services.watches.repo.save({ endpointId: endpoint.id, url, everyMs, headers: [], ignore: [], createdAt: at }, at);
  return {
    title: `Watching ${endpoint.name}`,
    tone: 'success' as const,
    lines: [
      `GET ${shownUrl(url)} every ${formatDuration(everyMs)}. The first answer comes here in a moment; after that, only changes.`,
      `Add a header with ${ctx.format('watch', [endpoint.name, 'header', 'Authorization', '<value>'])}, leave a field out with ${ctx.format('watch', [endpoint.name, 'ignore', 'updated_at'])}.`,
    ],
  };
}
