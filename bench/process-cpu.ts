import { readFileSync } from 'node:fs';
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
