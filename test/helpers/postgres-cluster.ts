import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './spawn-service.ts';

export interface PostgresCluster {
  /** A superuser URL (`postgres` database): create databases of your own with it. */
  url: string;
  stop(): void;
}

/**
 * A throwaway PostgreSQL cluster in a temporary folder on a free loopback port, from the newest
 * installed server's programs (Debian's `postgresql` package); undefined when none is installed.
 * `durable: false` (the tests) turns fsync and synchronous commit off: the tests crash hookwatch,
 * never the server. The bench keeps them on, so PostgreSQL pays for durability as SQLite does.
 */
export async function startPostgresCluster(options: { durable: boolean }): Promise<PostgresCluster | undefined> {
  const bin = postgresBin();
  if (!bin) return undefined;
  const base = mkdtempSync(join(tmpdir(), 'hookwatch-pg-'));
  // PostgreSQL refuses to run as root: the cluster belongs to the postgres user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(base, uid('postgres'), gid('postgres'));
  const run = (program: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, program), asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args, { stdio: 'pipe' });
  const port = await freePort();
  const data = join(base, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const durability = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off';
  run('pg_ctl', ['-D', data, '-l', join(base, 'server.log'), '-w', '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=300${durability}`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      rmSync(base, { recursive: true, force: true });
    },
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
