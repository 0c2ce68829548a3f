import { createPostgresStore } from '../../src/store/postgres-store.ts';
import type { KeyValueStore } from '../../src/store/key-value-store.ts';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { createTestDatabase, testPostgresUrl } from './postgres-database.ts';
import type { Config } from '../../src/config.ts';
import { tempDatabaseUrl, testConfig } from './start-test-service.ts';

export type StoreKind = 'sqlite' | 'postgres';

/** The stores a test can run on here: SQLite always, PostgreSQL where the run has a server (test/setup/postgres-server.ts). */
export const storeKinds: StoreKind[] = testPostgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

/** A new, empty database of that kind, as a DATABASE_URL. */
export async function newDatabaseUrl(kind: StoreKind): Promise<string> {
  return kind === 'postgres' ? createTestDatabase() : tempDatabaseUrl();
}

/** Opens a store on a DATABASE_URL made by newDatabaseUrl, as tests reach the store directly. */
export function openTestStore(databaseUrl: string): Promise<KeyValueStore> {
  return databaseUrl.startsWith('sqlite://') ? createSqliteStore(databaseUrl) : createPostgresStore(databaseUrl);
}

/** testConfig on a new database of that kind: how an integration test runs on both stores. */
export async function testConfigOn(kind: StoreKind, env: Record<string, string> = {}): Promise<Config> {
  return testConfig({ DATABASE_URL: await newDatabaseUrl(kind), ...env });
}
