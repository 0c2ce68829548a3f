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
 * signature checks, notifications and all), as the sender would. Commands run before the server
 * listens (the console chat reads its input at once), so a request waits for `listening`.
 */
export function createSelfClient(listeningServer: Promise<Server>) {
  return async function sendToEndpoint(endpoint: Endpoint, request: SampleRequest): Promise<{ status: number }> {
    const listening = await listeningServer;
    const response = await fetch(`${selfOrigin(listening)}/wh/${endpoint.token}`, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual' });
    await response.arrayBuffer();
    return { status: response.status };
  };
}
