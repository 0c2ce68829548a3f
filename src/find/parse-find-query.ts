import { UsageError } from '../commands/command.ts';
import { parseDuration } from '../domain/duration.ts';
import { providers } from '../providers/provider-list.ts';
import type { ValueCondition } from '../store/key-value-store.ts';
import { searchWords } from './search-words.ts';

export const MAX_QUERY_CHARS = 500;
export const MAX_TERMS = 20;
export const MAX_PATH_DEPTH = 16;
const MAX_VALUE_CHARS = 200;
const SIGNATURES = ['valid', 'invalid', 'unsigned', 'unverified'];
const PROVIDER_IDS = [...providers.map((provider) => provider.id), 'generic'];
const FILTERS = ['event:', 'provider:', 'signature:', 'since:', 'status:'];
const STATUSES = 'failed, delivered (or ok), pending, an HTTP status such as 404, or a class such as 5xx';
const HTTP_STATUS = /^[1-5]\d\d$/;
const HTTP_CLASS = /^[1-5]xx$/;
const PATH_TERM = /^([A-Za-z_$][\w$-]*(?:\.[\w$-]+)*)([=<>])(.*)$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const DELIVERY_ID = /^[0-9a-z]{16}$/;
/** Straight and typographic quotes (phones type the latter). */
const QUOTED = /^["“”„]([^"“”„]*)["“”„]$/;
const TERM = /["“”„][^"“”„]*["“”„]?|\S+/g;

export interface FindQuery {
  conditions: ValueCondition[];
  /** Only deliveries that arrived at or after this time (`since:`). */
  sinceMs?: number;
  /** Only deliveries older than this id (`before:`, the next page). */
  beforeId?: string;
  /** A term asks about forwarding (`status:`): an endpoint that forwards nowhere matches none. */
  forwarding?: boolean;
  /** The terms as typed, without `before:`, to ask for the next page. */
  terms: string[];
}

/** The query language of `find`; a mistake names the part that is wrong and what would be right. */
export function parseFindQuery(text: string, now: number): FindQuery {
  if (text.length > MAX_QUERY_CHARS) throw new UsageError(`That query is ${text.length} characters; keep it under ${MAX_QUERY_CHARS}.`);
  const terms = text.match(TERM) ?? [];
  if (terms.length === 0) throw new UsageError('Say what to find: a word, "a phrase", path=value, event:, provider:, signature:, since: or status:.');
  if (terms.length > MAX_TERMS) throw new UsageError(`That query has ${terms.length} parts; use at most ${MAX_TERMS}.`);
  const query: FindQuery = { conditions: [], terms: [] };
  for (const term of terms) {
    const fail = (why: string): never => {
      throw new UsageError(`In your query, ${JSON.stringify(term)}: ${why}`);
    };
    addTerm(query, term, now, fail);
    if (!term.toLowerCase().startsWith('before:')) query.terms.push(term);
  }
  return query;
}

function addTerm(query: FindQuery, term: string, now: number, fail: (why: string) => never): void {
  const phrase = QUOTED.exec(term);
  if (phrase) return addWords(query, phrase[1]!, fail);
  if (/^["“”„]/.test(term)) fail('the phrase has no closing quote.');
  const filter = /^([a-z]+):(.*)$/i.exec(term);
  if (filter) return addFilter(query, filter[1]!.toLowerCase(), filter[2]!, now, fail);
  const path = PATH_TERM.exec(term);
  if (path) return addPath(query, path[1]!, path[2] as '=' | '<' | '>', path[3]!, fail);
  addWords(query, term, fail);
}

function addWords(query: FindQuery, text: string, fail: (why: string) => never): void {
  const words = searchWords(text);
  if (words.length === 0) fail('there is no letter or digit to look for.');
  query.conditions.push({ kind: 'words', words, field: 't' });
}

function addFilter(query: FindQuery, name: string, value: string, now: number, fail: (why: string) => never): void {
  if (value === '') fail(`say what ${name}: should be, e.g. ${example(name)}.`);
  if (value.length > MAX_VALUE_CHARS) fail(`keep the value under ${MAX_VALUE_CHARS} characters.`);
  switch (name) {
    case 'event':
      return void query.conditions.push({ kind: 'like', field: 'e', pattern: value });
    case 'provider':
      if (!PROVIDER_IDS.includes(value.toLowerCase())) fail(`the providers are ${PROVIDER_IDS.join(', ')}.`);
      return void query.conditions.push({ kind: 'equals', field: 'p', value: value.toLowerCase() });
    case 'signature':
      if (!SIGNATURES.includes(value.toLowerCase())) fail(`a signature is ${SIGNATURES.join(', ')}.`);
      return void query.conditions.push({ kind: 'equals', field: 's', value: value.toLowerCase() });
    case 'since': {
      const ms = parseDuration(value);
      if (ms === undefined) fail('since: takes a duration up to a year, like 30m, 2h or 7d.');
      return void (query.sinceMs = Math.max(query.sinceMs ?? 0, now - ms!));
    }
    case 'status':
      query.forwarding = true;
      return void query.conditions.push(statusCondition(value.toLowerCase(), fail));
    case 'before':
      if (!DELIVERY_ID.test(value.toLowerCase())) fail('before: takes a delivery id (the next-page button fills it in).');
      return void (query.beforeId = value.toLowerCase());
    default:
      fail(`there is no "${name}:" filter (there are ${FILTERS.join(' ')}); to find the text itself, put it in quotes.`);
  }
}

/**
 * `status:` on the relays of a delivery, as its find entry marks them (markRelays): `f` holds each
 * state once, `h` each last try's HTTP status, both padded.
 */
function statusCondition(value: string, fail: (why: string) => never): ValueCondition {
  if (value === 'delivered' || value === 'ok') return { kind: 'equals', field: 'f', value: ' delivered ' };
  if (value === 'failed' || value === 'pending') return { kind: 'contains', field: 'f', text: ` ${value} ` };
  if (HTTP_STATUS.test(value)) return { kind: 'contains', field: 'h', text: ` ${value} ` };
  if (HTTP_CLASS.test(value)) return { kind: 'contains', field: 'h', text: ` ${value[0]}` };
  return fail(`a status is ${STATUSES}.`);
}

function addPath(query: FindQuery, path: string, op: '=' | '<' | '>', raw: string, fail: (why: string) => never): void {
  const parts = path.split('.');
  if (parts.length > MAX_PATH_DEPTH) fail(`a path may have at most ${MAX_PATH_DEPTH} parts.`);
  if (raw === '') fail(`say what to compare with, e.g. ${path}${op}${op === '=' ? 'paid' : '1000'}.`);
  if (raw.length > MAX_VALUE_CHARS) fail(`keep the value under ${MAX_VALUE_CHARS} characters.`);
  if (op !== '=' && !NUMBER.test(raw)) fail(`${op} compares numbers; "${raw}" is not one.`);
  const value = NUMBER.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : raw;
  const steps = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  query.conditions.push({ kind: 'json', field: 'j', path: steps, op, value });
}

function example(name: string): string {
  const examples: Record<string, string> = { event: 'event:invoice.*', provider: 'provider:github', signature: 'signature:invalid', since: 'since:2h', status: 'status:failed', before: 'before:<id>' };
  return examples[name] ?? `${name}:…`;
}
