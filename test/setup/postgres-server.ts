import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const bin = postgresBin();
  if (!bin) {
    if (process.env.HOOKWATCH_REQUIRE_POSTGRES === '1') {
      throw new Error('HOOKWATCH_REQUIRE_POSTGRES=1 but no PostgreSQL found: install it (apt-get install postgresql) or set HOOKWATCH_TEST_POSTGRES_URL');
    }
    process.stderr.write('PostgreSQL not found (apt-get install postgresql, or set HOOKWATCH_TEST_POSTGRES_URL): its tests are skipped\n');
    return undefined;
  }
  const base = mkdtempSync(join(tmpdir(), 'hookwatch-test-pg-'));
  // PostgreSQL refuses to run as root: the cluster belongs to the postgres user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(base, uid('postgres'), gid('postgres'));
  const run = (program: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, program), asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args, { stdio: 'pipe' });
  const port = await freePort();
  const data = join(base, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  // Durability settings off: the tests crash hookwatch, never the server.
  run('pg_ctl', ['-D', data, '-l', join(base, 'server.log'), '-w', '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300`, 'start']);
  process.env.HOOKWATCH_TEST_POSTGRES_URL = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return () => {
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(base, { recursive: true, force: true });
  };
}

/** The newest installed server's programs, as Debian lays them out. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

const uid = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gid = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
