import type { ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchHookwatch } from './bench-hookwatch.ts';
import { stopChild } from './children.ts';
import { REALISTIC_ENDPOINTS, realisticRequest } from './realistic-deliveries.ts';
import { sampleRss } from './rss-sampler.ts';

/** The issue's long run: 300 realistic deliveries a second for 10 minutes, retention at its default of 500. */
const PER_SECOND = 300;
const SECONDS = 600;
const REPORT_EVERY_S = 60;

/**
 * `npm run bench -- soak`: whether memory and the database stay flat under a steady realistic load
 * once retention is reached: RSS and file size (with its WAL) once a minute. Not in `npm run bench`'s
 * default set: it takes 10 minutes.
 */
export async function runSoakScenario(): Promise<boolean> {
  const children: ChildProcess[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-soak-'));
  try {
    const hookwatch = await startBenchHookwatch(dataDir, (child) => children.push(child), { RETENTION_DELIVERIES: '500' }, REALISTIC_ENDPOINTS);
    const file = join(dataDir, 'bench.sqlite');
    const megabytes = () => [file, `${file}-wal`].reduce((sum, path) => sum + (existsSync(path) ? statSync(path).size : 0), 0) / 1024 / 1024;
    console.log(`soak: ${PER_SECOND} realistic deliveries/s for ${SECONDS / 60} min over ${REALISTIC_ENDPOINTS} endpoints, RETENTION_DELIVERIES=500`);
    console.log('minute  answered 2xx  failed  RSS first/peak/last MB  database MB');
    let answered = 0;
    let failed = 0;
    const started = performance.now();
    for (let minute = 1; minute <= SECONDS / REPORT_EVERY_S; minute++) {
      const rss = sampleRss(hookwatch.child.pid!, 1000);
      const pending: Array<Promise<void>> = [];
      for (let n = (minute - 1) * REPORT_EVERY_S * PER_SECOND; n < minute * REPORT_EVERY_S * PER_SECOND; n++) {
        const wait = started + (n * 1000) / PER_SECOND - performance.now();
        if (wait > 0) await sleep(wait);
        const { headers, body } = realisticRequest(n);
        pending.push(
          fetch(hookwatch.webhookUrls[n % hookwatch.webhookUrls.length]!, { method: 'POST', headers, body }).then(
            async (response) => {
              await response.arrayBuffer();
              if (response.ok) answered += 1;
              else failed += 1;
            },
            () => void (failed += 1),
          ),
        );
      }
      await Promise.all(pending);
      const memory = rss.stop();
      console.log(`${String(minute).padStart(6)}  ${String(answered).padStart(12)}  ${String(failed).padStart(6)}  ${memory ? `${memory.first.toFixed(0)}/${memory.peak.toFixed(0)}/${memory.last.toFixed(0)}`.padStart(22) : 'n/a'.padStart(22)}  ${megabytes().toFixed(1).padStart(11)}`);
    }
    return failed === 0;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}
