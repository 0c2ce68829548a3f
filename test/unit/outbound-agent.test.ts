import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundAgent } from '../../src/outbound/create-outbound-agent.ts';
import { isPublicAddress } from '../../src/outbound/is-public-address.ts';

describe('isPublicAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1', 'not an address'])(
    'refuses %s',
    (ip) => expect(isPublicAddress(ip)).toBe(false),
  );

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) => expect(isPublicAddress(ip)).toBe(true));
});

describe('createOutboundAgent', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('reached')).listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  // Each spelling of loopback: a literal, a name that resolves to it, IPv4-mapped IPv6, and the numeric forms.
  it.each(['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1'])('refuses a request to %s unless private addresses are allowed', async (host) => {
    const agent = createOutboundAgent({ allowPrivate: false });
    await expect(request(`http://${host}:${port}/`, { dispatcher: agent })).rejects.toMatchObject({ code: 'EBLOCKED' });
    await agent.close();
  });

  it('reaches the same server when FORWARD_ALLOW_PRIVATE allows it', async () => {
    const agent = createOutboundAgent({ allowPrivate: true });
    const response = await request(`http://127.0.0.1:${port}/`, { dispatcher: agent });
    expect(await response.body.text()).toBe('reached');
    await agent.close();
  });
});
