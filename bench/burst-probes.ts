import { readFile } from 'node:fs/promises';
import { createSqliteStore } from '../src/store/sqlite-store.ts';

/** The process's peak resident set in MB: VmHWM (kB) in /proc/<pid>/status, so Linux only (NaN elsewhere). */
export async function peakRssMb(pid: number | undefined): Promise<number> {
  const status = pid === undefined ? '' : await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

/** Deliveries stored in hookwatch's database, read while it runs (SQLite in WAL mode allows a second reader). */
export async function countStored(databaseUrl: string): Promise<number> {
  const store = await createSqliteStore(databaseUrl);
  try {
    return await store.count('delivery:');
  } finally {
    await store.close();
  }
}
