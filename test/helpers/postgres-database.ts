import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server (test/setup/postgres-server.ts), or undefined when this machine has none. */
export const testPostgresUrl = process.env.HOOKWATCH_TEST_POSTGRES_URL;

/** A new, empty database on the test server for one test; its postgres:// URL. `options` are CREATE DATABASE's (e.g. a collation). */
export async function createTestDatabase(options = ''): Promise<string> {
  if (!testPostgresUrl) throw new Error('no PostgreSQL test server: guard the test with describe.skipIf(!testPostgresUrl)');
  return createDatabase(testPostgresUrl, options);
}

/** A new, empty database on the server of `serverUrl` (a superuser's URL); its postgres:// URL. */
export async function createDatabase(serverUrl: string, options = ''): Promise<string> {
  const name = `hw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} ${options}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
