import { deliveryBody, type Delivery } from '../domain/delivery.ts';
import { isCredentialName } from '../domain/is-credential-name.ts';
import { queryParameters } from '../domain/query-parameters.ts';
import { shellQuote } from './shell-quote.ts';

/** Headers that describe this hop or the encoding we already undid, not the request. */
const NOT_REPLAYED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'content-encoding', 'keep-alive', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip']);
const MAX_VARIABLE_LENGTH = 64;

export interface CurlReplay {
  /** The command, one option per line. */
  command: string;
  /** The shell variables it takes credentials from, in the order they appear. */
  variables: string[];
}

/** A shell word: literal bytes and credential variables, side by side. */
type WordPart = Uint8Array | { variable: string };
type Place = 'HEADER' | 'QUERY';

/**
 * A curl command that replays the delivery to `baseUrl` (its sub-path and query appended): every
 * byte the sender chose is shell-quoted, credential-looking header and query values are read from
 * variables named after them (never the raw name), and a binary body is read from `bodyFile`.
 */
export function curlReplay(delivery: Delivery, baseUrl: string, bodyFile: string | undefined): CurlReplay {
  const variables: string[] = [];
  const credential = (place: Place, name: string) => {
    const variable = credentialVariable(place, name, variables);
    variables.push(variable);
    return { variable };
  };
  const url: WordPart[] = [Buffer.from(baseUrl), wire(delivery.subPath)];
  if (delivery.query) {
    queryParameters(delivery.query).forEach(({ name, value, credential: secret }, index) => {
      const part = `${index === 0 ? '?' : '&'}${name}`;
      if (value === undefined) url.push(wire(part));
      else url.push(...(secret ? [wire(`${part}=`), credential('QUERY', name)] : [wire(`${part}=${value}`)]));
    });
  }
  // --globoff: a sender's `[` `]` `{` `}` in the path or query are literal, not curl URL patterns.
  const args = ['curl --globoff', `-X ${word([wire(delivery.method)])}`, word(url)];
  for (const [name, value] of delivery.headers) {
    if (NOT_REPLAYED.has(name.toLowerCase())) continue;
    args.push(`-H ${word(isCredentialName(name) ? [wire(`${name}: `), credential('HEADER', name)] : [wire(`${name}: ${value}`)])}`);
  }
  // --data-raw, not --data-binary: a text body starting with `@` would make curl upload that file.
  if (bodyFile) args.push(`--data-binary ${shellQuote(Buffer.from(`@${bodyFile}`))}`);
  else if (delivery.size > 0) args.push(`--data-raw ${shellQuote(deliveryBody(delivery))}`);
  return { command: args.join(' \\\n  '), variables };
}

/** Node reads the request line and headers one byte per character (latin1): these are the sender's bytes. */
function wire(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

function word(parts: WordPart[]): string {
  const quoted = parts.map((part) => ('variable' in part ? `"\${${part.variable}?}"` : part.length > 0 ? shellQuote(part) : ''));
  return quoted.join('') || "''";
}

/**
 * `HEADER_X_API_KEY` from the header `X-Api-Key`, `QUERY_TOKEN` from `?token=`: letters, digits and
 * `_` only, so the name cannot expand into anything, and prefixed, so a sender cannot pick a variable
 * the user already has (`GITHUB_TOKEN`) and have it sent along. A repeated name gets `_2`, `_3`.
 */
function credentialVariable(place: Place, name: string, taken: string[]): string {
  const base = `${place}_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`.slice(0, MAX_VARIABLE_LENGTH).replace(/_+$/, '');
  let variable = base;
  for (let count = 2; taken.includes(variable); count++) variable = `${base}_${count}`;
  return variable;
}
