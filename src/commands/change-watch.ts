import { formatDuration } from '../domain/duration.ts';
import { maskCredential } from '../domain/mask-credential.ts';
import type { Message } from '../domain/message.ts';
import { MAX_WATCH_HEADERS, MAX_WATCH_IGNORES, type Watch } from '../domain/watch.ts';
import { IGNORE_PATH_PATTERN } from '../watches/ignore-paths.ts';
import { shownUrl } from '../watches/shown-url.ts';
import { UsageError, type CommandInput } from './command.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';

const CLEAR = 'clear';
/** RFC 9110 token characters: anything else cannot be a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]{1,100}$/i;
const MAX_HEADER_VALUE = 4000;
/** Set by hookwatch itself for polite polling. */
const RESERVED = new Set(['host', 'if-none-match', 'if-modified-since', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect']);

/** `watch <name>` (its settings), `watch <name> header <Name> <value|clear>`, `watch <name> ignore <path|clear>`. */
export async function changeWatch(input: CommandInput, target: string, words: string[]): Promise<Message> {
  const { services, ctx } = input;
  const endpoint = await resolveEndpoint(input, target);
  const watch = await services.watches.repo.get(endpoint.id);
  if (!watch) throw new UsageError(`${endpoint.name} is an endpoint, not a watch. Start one with ${ctx.format('watch', ['https://api.example.com/orders/42', 'every', '1m', 'as', 'order42'])}.`);
  const [what, ...rest] = words;
  if (what === undefined) return describe(watch, endpoint.name);
  if (what.toLowerCase() === 'header') return setHeader(input, watch, endpoint.name, rest);
  if (what.toLowerCase() === 'ignore') return setIgnore(input, watch, endpoint.name, rest);
  throw new UsageError(`"${what}" is not a watch setting: ${ctx.format('watch', [endpoint.name, 'header', '<Name>', '<value>'])} or ${ctx.format('watch', [endpoint.name, 'ignore', '<json path>'])}.`);
}

async function setHeader(input: CommandInput, watch: Watch, name: string, words: string[]): Promise<Message> {
  const [header, ...valueWords] = words;
  const value = valueWords.join(' ');
  if (header === undefined || value === '') throw new UsageError(`Usage: ${input.ctx.format('watch', [name, 'header', '<Name>', `<value|${CLEAR}>`])}`);
  if (!HEADER_NAME.test(header)) throw new UsageError(`"${header}" is not a header name: letters, digits and - (e.g. Authorization, X-Api-Key).`);
  if (RESERVED.has(header.toLowerCase())) throw new UsageError(`${header} is set by hookwatch itself (conditional polling and the connection).`);
  const others = watch.headers.filter(([existing]) => existing.toLowerCase() !== header.toLowerCase());
  if (value.toLowerCase() === CLEAR) {
    await input.services.watches.repo.save({ ...watch, headers: others });
    return { title: `${name} no longer sends ${header}`, tone: 'success' };
  }
  if (value.length > MAX_HEADER_VALUE || /[\r\n\0]/.test(value)) throw new UsageError(`A header value is one line of at most ${MAX_HEADER_VALUE} characters.`);
  if (others.length >= MAX_WATCH_HEADERS) throw new UsageError(`A watch sends at most ${MAX_WATCH_HEADERS} headers.`);
  await input.services.watches.repo.save({ ...watch, headers: [...others, [header, value]] });
  return {
    title: `${name} sends ${header}: ${maskCredential(value)}`,
    tone: 'success',
    lines: ['From the next poll on. The value is stored and never shown again; delete your message if others can read this chat.'],
  };
}

async function setIgnore(input: CommandInput, watch: Watch, name: string, words: string[]): Promise<Message> {
  const path = words.join(' ');
  if (path.toLowerCase() === CLEAR) {
    await input.services.watches.repo.save({ ...watch, ignore: [] });
    return { title: `${name} compares every field again`, tone: 'success' };
  }
  if (!IGNORE_PATH_PATTERN.test(path) || path.length > 200) throw new UsageError(`"${path}" is not a JSON path: e.g. updated_at, data.meta.request_id, items[*].seen.`);
  if (watch.ignore.includes(path)) return { title: `${name} already ignores ${path}`, tone: 'success' };
  if (watch.ignore.length >= MAX_WATCH_IGNORES) throw new UsageError(`A watch ignores at most ${MAX_WATCH_IGNORES} paths.`);
  await input.services.watches.repo.save({ ...watch, ignore: [...watch.ignore, path] });
  return { title: `${name} ignores ${path}`, tone: 'success', lines: ['A change only there is not told; other changes no longer list it.'] };
}

function describe(watch: Watch, name: string): Message {
  return {
    title: `Watch ${name}`,
    fields: [
      { label: 'URL', value: shownUrl(watch.url) },
      { label: 'Every', value: formatDuration(watch.everyMs) },
      { label: 'Headers', value: watch.headers.map(([header, value]) => `${header}: ${maskCredential(value)}`).join(', ') || 'none' },
      { label: 'Ignored', value: watch.ignore.join(', ') || 'nothing' },
    ],
  };
}
