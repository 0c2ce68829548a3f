/**
 * Slack Socket Mode as @slack/socket-mode 3 speaks it: `apps.connections.open` (app-level token)
 * hands out `ws://…/socket`; on connect the server says `hello`; each event arrives as an envelope
 * `{ envelope_id, type, payload, accepts_response_payload }` that the app must acknowledge by
 * sending `{ envelope_id }` back within 3 s.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

export const SOCKET_PATH = '/socket';

export class SlackSocketMode {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (payload: unknown) => void>();
  /** Envelope ids the app acknowledged, in order. */
  readonly acked: string[] = [];
  /**
   * What happened to the sockets, oldest first, stamped in epoch ms like the service's log lines
   * (`1795794511739 #2 upgrade asked`, `… #2 open`, `… #2 closed 1006`): a test that waits in vain for a
   * connection can tell a client that never came from one refused, or one that came and went between polls.
   */
  readonly history: string[] = [];
  private upgrades = 0;

  constructor(server: Server, private readonly appId: string) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const number = ++this.upgrades;
      this.record(number, 'upgrade asked');
      if (!req.url?.startsWith(SOCKET_PATH)) {
        this.record(number, `refused: no socket at ${req.url}`);
        return void socket.destroy();
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, number));
    });
  }

  get connected(): number {
    return this.sockets.size;
  }

  private record(number: number, what: string): void {
    this.history.push(`${Date.now()} #${number} ${what}`);
  }

  private accept(ws: WebSocket, number: number): void {
    this.sockets.add(ws);
    this.record(number, 'open');
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      this.record(number, `closed ${code}`);
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (!frame.envelope_id) return;
      this.acked.push(frame.envelope_id);
      this.acks.get(frame.envelope_id)?.(frame.payload);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 18060 }, connection_info: { app_id: this.appId } }));
  }

  /** Sends one envelope to the connected app and resolves when it is acknowledged. */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown, timeoutMs = 3000): Promise<unknown> {
    const [socket] = this.sockets;
    if (!socket) return Promise.reject(new Error('SlackFake: no Socket Mode connection'));
    const envelopeId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`SlackFake: envelope ${type} not acknowledged in ${timeoutMs} ms`)), timeoutMs);
      this.acks.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        resolve(ackPayload);
      });
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
  }
}
