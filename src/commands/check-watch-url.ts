import dns from 'node:dns/promises';
import net from 'node:net';
import { isPublicAddress } from '../outbound/is-public-address.ts';
import { UsageError } from './command.ts';

const MAX_URL_LENGTH = 2000;

/**
 * A URL `watch` may poll: http or https, no credentials in it (headers carry those, masked), and a host
 * that is public unless FORWARD_ALLOW_PRIVATE. Judged here for a clear reply; the poll's agent judges
 * again at every connect, so a name that later resolves privately is refused then too.
 */
export async function checkWatchUrl(text: string, allowPrivate: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL. Give the whole address, e.g. https://api.example.com/orders/42.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`Only http and https URLs can be watched, not ${url.protocol.replace(/:$/, '')}.`);
  if (text.length > MAX_URL_LENGTH) throw new UsageError(`A watched URL is at most ${MAX_URL_LENGTH} characters.`);
  if (url.username || url.password) throw new UsageError('Leave credentials out of the URL: add them with "watch <name> header Authorization <value>", which is stored like a secret and masked.');
  url.hash = '';
  if (allowPrivate) return url.href;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : await resolve(host);
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused) throw new UsageError(`${url.hostname} is a private, loopback or otherwise non-public address (${refused}): hookwatch does not poll those unless FORWARD_ALLOW_PRIVATE=true.`);
  return url.href;
}

async function resolve(host: string): Promise<string[]> {
  try {
    return (await dns.lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    throw new UsageError(`${host} could not be found (DNS). Check the address.`);
  }
}
