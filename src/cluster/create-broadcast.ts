import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { TOPICS, type Topic } from './cluster.ts';
import { connectPostgresClient } from './connect-postgres-client.ts';
import { MAX_PAYLOAD_BYTES, splitIntoPayloads } from './split-into-payloads.ts';

/** The NOTIFY channel all hookwatch processes on a database listen on. */
export const BROADCAST_CHANNEL = 'hookwatch';

/** From `o` (a process), items each `<topic> <item>`: one message carries every topic a turn published. */
const messageSchema = z.object({ o: z.string(), i: z.array(z.string()) });
const topicSchema = z.enum(TOPICS);

export interface BroadcastOptions {
  url: string;
  /** Wait before reconnecting after the connection is lost. */
  retryMs: number;
  logger: Logger;
}

/**
 * LISTEN/NOTIFY on a connection of its own. What a process publishes in one event-loop turn, whatever the
 * topics, goes out together (one NOTIFY, split only past PostgreSQL's 8,000 bytes). A message published while the
 * connection is down is lost (logged): what depends on it has a bound of its own (a cache's lifetime,
 * the leader's rescan).
 */
export function createBroadcast(options: BroadcastOptions) {
  const { logger } = options;
  const origin = randomBytes(6).toString('base64url');
  const handlers = new Map<Topic, Array<(items: string[]) => void>>();
  /** Published and not yet sent, as `<topic> <item>`. */
  let pending: string[] = [];
  let client: pg.Client | undefined;
  let closed = false;
  let flushScheduled = false;
  /** Flushes one after another: one connection runs one query at a time, and messages keep their order. */
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  function receive(notification: pg.Notification): void {
    let message;
    try {
      message = messageSchema.parse(JSON.parse(notification.payload ?? ''));
    } catch (error) {
      return void logger.warn({ err: error }, `ignored a malformed message on the ${BROADCAST_CHANNEL} channel`);
    }
    if (message.o === origin) return;
    const byTopic = new Map<Topic, string[]>();
    for (const tagged of message.i) {
      const space = tagged.indexOf(' ');
      const topic = topicSchema.safeParse(tagged.slice(0, space));
      if (space === -1 || !topic.success) return void logger.warn(`ignored a message with an unknown topic on the ${BROADCAST_CHANNEL} channel`);
      byTopic.set(topic.data, [...(byTopic.get(topic.data) ?? []), tagged.slice(space + 1)]);
    }
    for (const [topic, items] of byTopic) for (const handler of handlers.get(topic) ?? []) handler(items);
  }

  async function connect(): Promise<void> {
    try {
      const connected = await connectPostgresClient(options.url, (error) => {
        if (client !== connected) return;
        client = undefined;
        connected.end().catch(() => undefined);
        if (closed) return;
        logger.error({ err: error }, 'lost the broadcast connection; reconnecting');
        timer = setTimeout(() => void connect(), options.retryMs);
      });
      connected.on('notification', receive);
      await connected.query(`LISTEN ${BROADCAST_CHANNEL}`);
      if (closed) return void (await connected.end());
      client = connected;
    } catch (error) {
      logger.warn({ err: error }, 'could not connect the broadcast; trying again');
      if (!closed) timer = setTimeout(() => void connect(), options.retryMs);
    }
  }

  async function flush(): Promise<void> {
    flushScheduled = false;
    const items = pending;
    pending = [];
    const envelopeBytes = Buffer.byteLength(JSON.stringify({ o: origin, i: [] })) - 2;
    const { payloads, tooLarge } = splitIntoPayloads(items, MAX_PAYLOAD_BYTES, envelopeBytes);
    if (tooLarge.length > 0) logger.error({ count: tooLarge.length }, 'broadcast items too large for one message; not sent');
    for (const payload of payloads) {
      const sending = client;
      if (!sending) return void logger.warn({ count: payload.length }, 'broadcast not connected; other processes learn of this later');
      await sending.query('SELECT pg_notify($1, $2)', [BROADCAST_CHANNEL, JSON.stringify({ o: origin, i: payload })]).catch((error: unknown) => logger.warn({ err: error }, 'broadcast failed; other processes learn of this later'));
    }
  }

  return {
    /** Connects (resolves once listening, or after the first failed try). */
    start: connect,
    publish(topic: Topic, items: string[]): void {
      if (items.length === 0 || closed) return;
      for (const item of items) pending.push(`${topic} ${item}`);
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(() => (flushing = flushing.then(flush).catch((error: unknown) => logger.error({ err: error }, 'broadcast failed'))));
    },
    subscribe(topic: Topic, handler: (items: string[]) => void): void {
      handlers.set(topic, [...(handlers.get(topic) ?? []), handler]);
    },
    /** Sends what is still pending, then leaves. */
    async close(): Promise<void> {
      await flushing;
      if (flushScheduled) await flush();
      closed = true;
      clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
