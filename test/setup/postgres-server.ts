import { startPostgresCluster } from '../helpers/postgres-cluster.ts';

/**
 * vitest globalSetup: a PostgreSQL server for the tests that need one, shared by the run.
 * HOOKWATCH_TEST_POSTGRES_URL, if set, names a server to use (a superuser URL: tests create their own
 * databases). Otherwise, where PostgreSQL's programs are installed (Debian's `postgresql` package),
 * a throwaway cluster is created in a temporary folder on a free loopback port, and removed after
 * the run. Without either, the PostgreSQL tests are skipped, unless HOOKWATCH_REQUIRE_POSTGRES=1
 * (CI sets it), which makes a missing server an error.
 */
export default async function postgresServer(): Promise<(() => void) | undefined> {
  if (process.env.HOOKWATCH_TEST_POSTGRES_URL) return undefined;
  const cluster = await startPostgresCluster({ durable: false });
  if (!cluster) {
    if (process.env.HOOKWATCH_REQUIRE_POSTGRES === '1') {
      throw new Error('HOOKWATCH_REQUIRE_POSTGRES=1 but no PostgreSQL found: install it (apt-get install postgresql) or set HOOKWATCH_TEST_POSTGRES_URL');
    }
    process.stderr.write('PostgreSQL not found (apt-get install postgresql, or set HOOKWATCH_TEST_POSTGRES_URL): its tests are skipped\n');
    return undefined;
  }
  process.env.HOOKWATCH_TEST_POSTGRES_URL = cluster.url;
  return cluster.stop;
}
