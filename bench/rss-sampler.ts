import { readFileSync } from 'node:fs';

/** A process's resident memory in MB, read from /proc (Linux); undefined elsewhere or once it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped: first, peak and last, to tell growth from a plateau. */
export function sampleRss(pid: number, everyMs = 500) {
  const samples: number[] = [];
  const take = () => {
    const rss = rssOf(pid);
    if (rss !== undefined) samples.push(rss);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop(): { first: number; peak: number; last: number } | undefined {
      clearInterval(timer);
      take();
      return samples.length === 0 ? undefined : { first: samples[0]!, peak: Math.max(...samples), last: samples.at(-1)! };
    },
  };
}
