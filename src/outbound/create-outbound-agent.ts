import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector } from 'undici';
import { isPublicAddress } from './is-public-address.ts';

/** A connection refused because it would reach a private address; `code` lets callers tell it apart. */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EBLOCKED';
  constructor(readonly address: string) {
    super(`${address} is a private, loopback or otherwise non-public address; set FORWARD_ALLOW_PRIVATE=true to allow it`);
  }
}

export interface OutboundAgentOptions {
  /** FORWARD_ALLOW_PRIVATE: reach loopback and private networks too (a trusted network, or tests). */
  allowPrivate: boolean;
  connectTimeoutMs?: number;
  /** Most connections kept per origin: bounds what one slow target can hold. */
  connectionsPerOrigin?: number;
}

/**
 * The undici Agent for every request hookwatch makes on a user's behalf (forwarding, API watches).
 * The address is judged at connect time, after DNS, for every address a name resolves to, so a name
 * that resolves to 127.0.0.1 (or changes to it later: DNS rebinding) is refused like the literal.
 * IP literals never reach the lookup, so they are judged before connecting.
 */
export function createOutboundAgent(options: OutboundAgentOptions): Agent {
  const timeout = options.connectTimeoutMs ?? 5_000;
  if (options.allowPrivate) return new Agent({ connect: { timeout }, connections: options.connectionsPerOrigin ?? null });

  const lookup = function guardedLookup(hostname: string, lookupOptions: dns.LookupOptions, callback: (...args: unknown[]) => void) {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const refused = addresses.find((entry) => !isPublicAddress(entry.address));
      if (refused) return callback(new BlockedAddressError(refused.address));
      if (lookupOptions.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  } as unknown as net.LookupFunction;
  const connect = buildConnector({ lookup, timeout });

  return new Agent({
    connections: options.connectionsPerOrigin ?? null,
    connect: function guardedConnect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(host) && !isPublicAddress(host)) return callback(new BlockedAddressError(host), null);
      return connect(connectOptions, callback);
    },
  });
}
