import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { connectPostgresClient } from './connect-postgres-client.ts';
import { NODE_SLOTS } from '../domain/ids.ts';

/** The first key of the slots' advisory locks (two-key form, apart from the leader's one-key lock). */
const SLOT_LOCK_SPACE = 0x686f6f6b;

export interface NodeSlotOptions {
  url: string;
  retryMs: number;
  logger: Logger;
}

/**
 * A number no other live process on the database holds (one of NODE_SLOTS), for this process's ids: an
 * advisory lock per slot on a connection of its own, freed when the process dies. Slots are tried from a
 * random one on, so a process starting while another's connection is briefly down rarely takes its slot;
 * after a reconnect this process asks for its own slot first.
 */
export function createNodeSlot(options: NodeSlotOptions) {
  const { logger } = options;
  let slot: number | undefined;
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  async function take(): Promise<void> {
    try {
      const connected = await connectPostgresClient(options.url, (error) => {
        if (client !== connected || closed) return;
        client = undefined;
        connected.end().catch(() => undefined);
        logger.warn({ err: error }, 'lost the connection that holds this process\'s id slot; taking it again');
        timer = setTimeout(() => void take(), options.retryMs);
      });
      const start = slot ?? randomInt(NODE_SLOTS);
      for (let i = 0; i < NODE_SLOTS; i++) {
        const candidate = (start + i) % NODE_SLOTS;
        const { rows } = await connected.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS held', [SLOT_LOCK_SPACE, candidate]);
        if (!rows[0]?.held) continue;
        if (slot !== undefined && slot !== candidate) logger.error({ from: slot, to: candidate }, 'another process took this process\'s id slot while it was disconnected; moved to another');
        slot = candidate;
        client = connected;
        return;
      }
      await connected.end();
      throw new Error(`all ${NODE_SLOTS} id slots are held: more hookwatch processes than ids can tell apart`);
    } catch (error) {
      logger.error({ err: error }, 'could not take an id slot; trying again');
      if (!closed) timer = setTimeout(() => void take(), options.retryMs);
    }
  }

  return {
    /** Resolves once a slot is held, or after the first failed try (ids then go without one until it is). */
    start: take,
    current: () => slot,
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
