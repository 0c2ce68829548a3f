import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { connectPostgresClient } from './connect-postgres-client.ts';

/** The advisory lock's key: "hookwatch" leader, a constant no other use of the database should pick. */
export const LEADER_LOCK_KEY = 0x686f6f6b_7761;

/** Tries a process that just lost leadership lets go by, so a healthy one takes over first. */
const SIT_OUT_TRIES = 3;

export interface LeaderLockOptions {
  url: string;
  /** How often a candidate tries for the lock, and the leader checks its connection still answers. */
  tryEveryMs: number;
  onGained: () => void;
  onLost: () => void;
  logger: Logger;
}

/**
 * Leadership as a session advisory lock on a connection of its own: held while that connection lives,
 * freed by the server the moment a killed process's socket closes. A connection error or end, or a
 * check the server does not answer, is leadership lost; the process then tries again like any other.
 */
export function createLeaderLock(options: LeaderLockOptions) {
  const { logger } = options;
  let client: pg.Client | undefined;
  let leading = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  /** After losing leadership this process sits out a few tries, as its connection is the suspect one. */
  let sitOutUntil = 0;

  function drop(error: unknown): void {
    const gone = client;
    client = undefined;
    gone?.end().catch(() => undefined);
    if (!leading) return;
    leading = false;
    sitOutUntil = Date.now() + SIT_OUT_TRIES * options.tryEveryMs;
    logger.error({ err: error }, 'lost the connection that holds leadership: stopping the leader\'s work, trying again');
    options.onLost();
  }

  async function attempt(): Promise<void> {
    if (!leading && Date.now() < sitOutUntil) return;
    try {
      client ??= await connectPostgresClient(options.url, drop);
      if (leading) {
        await client.query('SELECT 1');
        return;
      }
      const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [LEADER_LOCK_KEY]);
      if (rows[0]?.held && !closed) {
        leading = true;
        options.onGained();
      }
    } catch (error) {
      if (!leading) logger.warn({ err: error }, 'could not try for leadership; trying again');
      drop(error);
    }
  }

  async function loop(): Promise<void> {
    await attempt();
    if (!closed) timer = setTimeout(() => void loop(), options.tryEveryMs);
  }

  return {
    /** Tries at once (resolves after the first try), then every `tryEveryMs`. */
    start: loop,
    isLeading: () => leading,
    /** Gives leadership up (its connection closes, which frees the lock) and stops trying. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      leading = false;
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
