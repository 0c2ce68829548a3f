import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { isPublicAddress } from '../outbound/is-public-address.ts';

/**
 * Why `text` cannot be a forwarding target, or undefined when it can. Private addresses are refused
 * here already when the name resolves to one now (a clear answer at `forward` time); the outbound
 * agent checks again at every connect, so a name that changes later is refused then.
 */
export async function checkTargetUrl(text: string, allowPrivate: boolean): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL: give one such as https://example.com/webhooks.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Only http:// and https:// targets can be forwarded to (got ${url.protocol}).`;
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : await lookup(host, { all: true }).then((found) => found.map((entry) => entry.address), () => undefined);
  if (addresses === undefined) return `${host} could not be resolved: check the name.`;
  const refused = addresses.find((address) => !isPublicAddress(address));
  return refused === undefined ? undefined : `${host} is a private, loopback or otherwise non-public address (${refused}): hookwatch does not forward there unless FORWARD_ALLOW_PRIVATE=true.`;
}
