import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Endpoint } from '../domain/endpoint.ts';
import type { SampleRequest } from '../samples/sample-request.ts';

/** Where this process's own listener is reached from itself: a wildcard bind is reached on loopback. */
function selfOrigin(server: Server): string {
  const { address, family, port } = server.address() as AddressInfo;
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/**
 * Posts a request to one of this process's own endpoints through its real receiver (body limits,
 * signature checks, notifications and all), as the sender would. `server` is read when called:
 * commands exist before the server listens.
 */
export function createSelfClient(server: () => Server | undefined) {
  return async function sendToEndpoint(endpoint: Endpoint, request: SampleRequest): Promise<{ status: number }> {
    const listening = server();
    if (!listening) throw new Error('the HTTP server is not listening yet');
    const response = await fetch(`${selfOrigin(listening)}/wh/${endpoint.token}`, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual' });
    await response.arrayBuffer();
    return { status: response.status };
  };
}
