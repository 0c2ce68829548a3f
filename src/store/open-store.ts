import type { KeyValueStore } from './key-value-store.ts';
import { createSqliteStore } from './sqlite-store.ts';

export class StoreConfigError extends Error {
  override name = 'StoreConfigError';
}

/** Picks the keyv adapter from DATABASE_URL's scheme. */
export async function openStore(databaseUrl: string): Promise<KeyValueStore> {
  if (databaseUrl.startsWith('sqlite://')) return createSqliteStore(databaseUrl, { exclusive: true });
  throw new StoreConfigError(
    `Invalid configuration: DATABASE_URL uses ${databaseUrl.split(':')[0]}://, which this version cannot use yet; use sqlite://<path>`,
  );
}
