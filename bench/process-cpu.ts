import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Linux's clock ticks per second for /proc times (USER_HZ, 100 on every common build). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** The CPU ms per minute a process uses over the next `windowMs`. */
export async function cpuPerMinute(pid: number, windowMs: number): Promise<number> {
  const before = cpuMsOf(pid);
  await sleep(windowMs);
  return ((cpuMsOf(pid) - before) * 60_000) / windowMs;
}

/** How idle "done" is: below 5% of a core over half a second (timers and the idle agenda keep it above 0). */
const QUIET_MS = 500;
const QUIET_CPU_MS = 25;

/**
 * The CPU a process has used since `sinceMs` (a cpuMsOf reading) once it has gone quiet, so work it does
 * after a load (notifications, relays still queued) counts too; gives up waiting after `limitMs`.
 */
export async function cpuUntilQuiet(pid: number, sinceMs: number, limitMs = 60_000): Promise<number> {
  const deadline = Date.now() + limitMs;
  let last = cpuMsOf(pid);
  while (Date.now() < deadline) {
    await sleep(QUIET_MS);
    const now = cpuMsOf(pid);
    if (now - last < QUIET_CPU_MS) return now - sinceMs;
    last = now;
  }
  return last - sinceMs;
}

/**
 * Bytes a process has written so far (every thread's write calls: database, WAL, sockets, pipes), from
 * /proc/<pid>/task/<tid>/io; libuv's threadpool, where SQLite writes, is counted with the main thread.
 */
export function writtenBytesOf(pid: number): number {
  let written = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      written += Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/task/${thread}/io`, 'utf8'))?.[1] ?? 0);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return written;
}

/** What a process spent serving a load: CPU µs and bytes written per 2xx answer, counted until it went quiet after it. */
export interface LoadCost {
  cpuMicrosPerRequest: number;
  writtenBytesPerRequest: number;
}

/** Runs `load` against the process `pid` and adds what it cost the process (cpuUntilQuiet, writtenBytesOf). */
export async function withCost<Figures extends { total2xx: number }>(pid: number, load: () => Promise<Figures>): Promise<Figures & LoadCost> {
  const [cpuBefore, writtenBefore] = [cpuMsOf(pid), writtenBytesOf(pid)];
  const figures = await load();
  const cpuMs = await cpuUntilQuiet(pid, cpuBefore, 20_000);
  const answered = Math.max(1, figures.total2xx);
  return { ...figures, cpuMicrosPerRequest: (cpuMs * 1000) / answered, writtenBytesPerRequest: (writtenBytesOf(pid) - writtenBefore) / answered };
}
