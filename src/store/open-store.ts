import type { KeyValueStore } from './key-value-store.ts';
import { createPostgresStore } from './postgres-store.ts';
import { createSqliteStore } from './sqlite-store.ts';

export class StoreConfigError extends Error {
  override name = 'StoreConfigError';
}

/**
 * Picks the store from DATABASE_URL's scheme. SQLite is locked to this process (`<file>.lock`);
 * PostgreSQL is shared by design, and a server it cannot reach at start is a one-line error.
 */
export async function openStore(databaseUrl: string): Promise<KeyValueStore> {
  if (databaseUrl.startsWith('sqlite://')) return createSqliteStore(databaseUrl, { exclusive: true });
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return createPostgresStore(databaseUrl).catch((error: unknown) => {
      throw new StoreConfigError(`Cannot open DATABASE_URL (PostgreSQL at ${serverOf(databaseUrl)}): ${(error as Error).message}. Check the server runs, and the URL's user, password and database.`);
    });
  }
  throw new StoreConfigError(
    `Invalid configuration: DATABASE_URL uses ${databaseUrl.split(':')[0]}://, which this version cannot use yet; use sqlite://<path> or postgres://<user>:<password>@<host>/<database>`,
  );
}

/** Host, port and database of a postgres:// URL: what a start-up error may print (never the password). */
function serverOf(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.host}${url.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}
