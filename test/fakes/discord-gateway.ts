/**
 * The Discord gateway (v10, JSON, no compression) on `ws://127.0.0.1:PORT/gateway`, as @discordjs/ws 1.2 uses it:
 * HELLO → (HEARTBEAT ↔ ACK) → IDENTIFY → READY + GUILD_CREATE → dispatches; RESUME replays what the session missed
 * then RESUMED, or INVALID_SESSION (op 9, d:false) for an unknown/invalidated session. Close codes as Discord:
 * 4001 unknown opcode, 4002 decode error, 4003 not authenticated, 4004 authentication failed, 4005 already
 * authenticated, 4012 invalid API version (also used for `compress=zlib-stream`, which the fake cannot speak).
 */
import type { IncomingMessage, Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import { guildCreatePayload, readyPayload, type World } from './discord-payloads.ts';
import { isObject, type JsonObject } from './discord-types.ts';

interface Session {
  id: string;
  seq: number;
  /** Every dispatch of the session (for RESUME replays). */
  log: Array<{ s: number; frame: string }>;
  socket: WebSocket | undefined;
  valid: boolean;
}

interface Connection {
  socket: WebSocket;
  session: Session | undefined;
  droppedByFake: boolean;
}

export interface GatewayFrame {
  op: number;
  d: unknown;
  at: number;
}

export interface GatewayHooks {
  token: string;
  world: World;
  /** `ws://127.0.0.1:PORT/gateway`, sent as `resume_gateway_url`. */
  url: () => string;
  lastMessageId: (channelId: string) => string | null;
  notify: () => void;
  heartbeatIntervalMs: number;
}

const TRACE = ['["gateway-prd-fake-0",{"micros":0}]'];
const GUILD_CREATE_DELAY_MS = 15; // a separate frame, after READY, like Discord (discord.js handles frames concurrently)

export class DiscordGateway {
  /** Every payload the clients sent (heartbeats, IDENTIFY, RESUME...), in order. */
  readonly received: GatewayFrame[] = [];
  /** Dispatches sent (t + s), including replays. */
  readonly sent: Array<{ t: string; s: number; replay: boolean }> = [];
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Set<Connection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private current: Session | undefined;

  constructor(server: Server, private readonly hooks: GatewayHooks) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (socket, req) => this.onConnection(socket, req));
  }

  count(op: number): number {
    return this.received.filter((f) => f.op === op).length;
  }

  /** How many clients are connected with an identified/resumed session now (Discord allows one per bot and shard). */
  get openSessions(): number {
    return [...this.connections].filter((c) => c.session !== undefined && c.socket.readyState === WebSocket.OPEN).length;
  }

  /** Sends a dispatch on the current session (logged for replay even while the client is reconnecting). */
  dispatch(t: string, d: JsonObject): number {
    const session = this.current;
    if (!session?.valid) throw new Error('DiscordFake: no gateway session; log the client in first');
    const s = ++session.seq;
    const frame = JSON.stringify({ op: 0, t, s, d });
    session.log.push({ s, frame });
    this.sent.push({ t, s, replay: false });
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(frame);
    return s;
  }

  /** Closes the client sockets with `code` (default 4000: resumable); `invalidate` also forgets the sessions. */
  drop(code = 4000, invalidate = false): number {
    let dropped = 0;
    for (const conn of this.connections) {
      if (conn.socket.readyState !== WebSocket.OPEN) continue;
      conn.droppedByFake = true;
      if (invalidate && conn.session) conn.session.valid = false;
      conn.socket.close(code, 'fake: connection dropped');
      dropped++;
    }
    return dropped;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const conn of this.connections) conn.socket.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
    const conn: Connection = { socket, session: undefined, droppedByFake: false };
    this.connections.add(conn);
    const query = new URL(req.url ?? '/', 'ws://fake').searchParams;
    socket.on('close', (code) => {
      this.connections.delete(conn);
      if (conn.session?.socket === socket) conn.session.socket = undefined;
      // A client closing with 1000/1001 ends its session (Discord's rule); other codes keep it resumable.
      if (!conn.droppedByFake && conn.session && (code === 1000 || code === 1001)) conn.session.valid = false;
      this.hooks.notify();
    });
    socket.on('error', () => undefined);
    if ((query.get('v') ?? '10') !== '10') return socket.close(4012, 'Invalid API version.');
    if (query.get('compress')) return socket.close(4012, 'fake: transport compression is not supported');
    socket.on('message', (data, isBinary) => this.onMessage(conn, isBinary ? undefined : String(data)));
    this.send(socket, { op: 10, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs, _trace: TRACE } });
  }

  private send(socket: WebSocket, payload: JsonObject): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ s: null, t: null, ...payload }));
  }

  private onMessage(conn: Connection, text: string | undefined): void {
    let payload: unknown;
    try {
      payload = text === undefined ? undefined : JSON.parse(text);
    } catch {
      payload = undefined;
    }
    if (!isObject(payload) || typeof payload.op !== 'number') return conn.socket.close(4002, 'Error while decoding payload.');
    const { op, d } = payload;
    this.received.push({ op, d, at: Date.now() });
    const data = isObject(d) ? d : {};
    switch (op) {
      case 1:
        this.send(conn.socket, { op: 11, d: null });
        break;
      case 2:
        if (conn.session) return conn.socket.close(4005, 'Already authenticated.');
        if (data.token !== this.hooks.token) return conn.socket.close(4004, 'Authentication failed.');
        if (typeof data.intents !== 'number') return conn.socket.close(4013, 'Invalid intent(s).');
        this.identify(conn);
        break;
      case 6:
        if (conn.session) return conn.socket.close(4005, 'Already authenticated.');
        if (data.token !== this.hooks.token) return conn.socket.close(4004, 'Authentication failed.');
        this.resume(conn, String(data.session_id), typeof data.seq === 'number' ? data.seq : 0);
        break;
      case 3: case 4: case 8: case 31: // presence, voice state, request members, soundboard: accepted, ignored
        if (!conn.session) return conn.socket.close(4003, 'Not authenticated.');
        break;
      default:
        return conn.socket.close(4001, 'Unknown opcode.');
    }
    this.hooks.notify();
  }

  private identify(conn: Connection): void {
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, log: [], socket: conn.socket, valid: true };
    this.sessions.set(session.id, session);
    conn.session = session;
    this.current = session;
    this.dispatch('READY', readyPayload(this.hooks.world, session.id, this.hooks.url()));
    this.later(GUILD_CREATE_DELAY_MS, () => {
      if (session.valid) this.dispatch('GUILD_CREATE', guildCreatePayload(this.hooks.world, this.hooks.lastMessageId));
      this.hooks.notify();
    });
  }

  private resume(conn: Connection, sessionId: string, seq: number): void {
    const session = this.sessions.get(sessionId);
    if (!session?.valid || seq > session.seq) {
      this.send(conn.socket, { op: 9, d: false });
      return;
    }
    if (session.socket && session.socket !== conn.socket) session.socket.close(4000, 'fake: session resumed elsewhere');
    session.socket = conn.socket;
    conn.session = session;
    for (const entry of session.log) {
      if (entry.s <= seq) continue;
      conn.socket.send(entry.frame);
      this.sent.push({ t: String((JSON.parse(entry.frame) as JsonObject).t), s: entry.s, replay: true });
    }
    // RESUMED carries the current sequence so discord.js's `shardResume` replayed count is exact.
    conn.socket.send(JSON.stringify({ op: 0, t: 'RESUMED', s: session.seq, d: { _trace: TRACE } }));
  }
}
