import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';

/** A port the server cannot listen on, said in one line with what to do. */
export class ListenError extends Error {
  override name = 'ListenError';
}

const HINTS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use (is hookwatch running already?); stop that process or set PORT to a free port',
  EACCES: 'permission denied; ports below 1024 need privileges, so set PORT to 1024 or above',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s; set HOST to one of its addresses, or 0.0.0.0 for all',
};

/** A server for `listener`, resolved once listening; a refusal the operator can fix becomes a ListenError. */
export async function listen(listener: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(listener).listen(port, host);
  try {
    await once(server, 'listening');
    return server;
  } catch (error) {
    const hint = HINTS[(error as NodeJS.ErrnoException).code ?? ''];
    if (hint === undefined) throw error;
    throw new ListenError(`Cannot listen on ${host}:${port}: ${hint}`);
  }
}
