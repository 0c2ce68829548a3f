/** The HTTP server under each fake: 127.0.0.1 at a port the OS picks. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening HTTP server on 127.0.0.1 and its port. */
export class LocalServer {
  private constructor(readonly server: Server, readonly port: number) {}

  /** Resolves once the server listens on 127.0.0.1 at a free port; rejects if it cannot listen. */
  static async listen(listener: RequestListener): Promise<LocalServer> {
    const server = createServer(listener);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new LocalServer(server, (server.address() as AddressInfo).port);
  }

  /** Drops every open connection (held requests, keep-alive sockets) and resolves once the server has closed. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
