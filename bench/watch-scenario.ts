import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { newEndpointId, newToken } from '../src/domain/ids.ts';
import { createEndpointRepository } from '../src/store/endpoint-repository.ts';
import { openStore } from '../src/store/open-store.ts';
import { createWatchRepository } from '../src/store/watch-repository.ts';
import { LocalServer } from '../test/fakes/local-server.ts';
import { stopChild } from './children.ts';
import { measure, SMALL_BODIES, type LoadFigures } from './load.ts';
import { cpuPerMinute } from './process-cpu.ts';
import { printAligned } from './report.ts';
import { startSeededHookwatch, type SeededHookwatch } from './start-seeded-hookwatch.ts';

const WATCHES = 1000;
const EVERY_MS = 30_000;
/** The most watches a chat may have: the seeded ones fill chats of their own. */
const PER_CHAT = 50;
/** Every first poll (the baseline, told to the chat) is due within the first interval: steady polling starts after. */
const SETTLE_MS = EVERY_MS + 5_000;
/** CPU is sampled over this long, after SETTLE_MS: two full rounds of polls. */
const WINDOW_MS = 60_000;
const ROUNDS = 2;
const GOAL_RATIO = 0.9;
/** Share of polls whose answer changed (a new ETag and body): told, stored and sent to the chat. */
const CHANGE_SHARE = 0.1;

/** Watches of console chats written into a fresh database before hookwatch starts, first polls spread over one interval. */
async function seedWatches(databaseUrl: string, apiBase: string, now: number): Promise<void> {
  const store = await openStore(databaseUrl);
  const endpoints = createEndpointRepository(store, () => now);
  const watches = createWatchRepository(store);
  try {
    await Promise.all(
      Array.from({ length: WATCHES }, async (_, i) => {
        const endpoint = { id: newEndpointId(), token: newToken(), name: `w${i}`, owner: { platform: 'console', chatId: `seeded-${Math.floor(i / PER_CHAT)}` }, createdAt: now, mutedUntil: null };
        await endpoints.save(endpoint);
        await watches.save({ endpointId: endpoint.id, url: `${apiBase}/items/${i}`, everyMs: EVERY_MS, headers: [], ignore: [], createdAt: now }, now + (i * EVERY_MS) / WATCHES);
      }),
    );
  } finally {
    await store.close();
  }
}

function startArm(apiBase: string | undefined, track: (running: SeededHookwatch) => void): Promise<SeededHookwatch> {
  return startSeededHookwatch(async (databaseUrl) => (apiBase ? seedWatches(databaseUrl, apiBase, Date.now()) : undefined), { FORWARD_ALLOW_PRIVATE: 'true' }, track);
}

const mean = (runs: LoadFigures[], pick: (figures: LoadFigures) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;

/**
 * The cost of polling: 1,000 watches every 30 s (2,000 polls a minute) against a local JSON API that
 * answers 304 to the ETag it gave, except for one poll in ten, which gets a changed answer (stored, diffed,
 * told). Two processes start together, one with no watches; once every watch has its baseline, the polling's
 * CPU is the difference in process CPU over the same minute, then ingest is measured in turn on each, twice, while the polls go on.
 */
export async function runWatchScenario(): Promise<boolean> {
  console.log(`Watches: ${WATCHES.toLocaleString('en-US')} APIs polled every ${EVERY_MS / 1000} s, ${CHANGE_SHARE * 100}% of answers changed`);
  let polls = 0;
  let version = 0;
  const api = await LocalServer.listen((request, response) => {
    polls++;
    const changed = Math.random() < CHANGE_SHARE;
    if (changed) version++;
    const etag = `"${request.url}-${version}"`;
    if (!changed && request.headers['if-none-match'] !== undefined) return void response.writeHead(304, { etag: request.headers['if-none-match'] }).end();
    response.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify({ url: request.url, status: changed ? `v${version}` : 'same', items: [1, 2, 3] }));
  });
  const all: SeededHookwatch[] = [];
  try {
    const none = await startArm(undefined, (r) => all.push(r));
    const watching = await startArm(`http://127.0.0.1:${api.port}`, (r) => all.push(r));
    await sleep(SETTLE_MS);
    const pollsBefore = polls;
    const [cpuNone, cpuWatching] = await Promise.all([cpuPerMinute(none.child.pid!, WINDOW_MS), cpuPerMinute(watching.child.pid!, WINDOW_MS)]);
    const pollsPerMinute = ((polls - pollsBefore) * 60_000) / WINDOW_MS;
    const runs: { none: LoadFigures[]; watching: LoadFigures[] } = { none: [], watching: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.none.push(await measure([none.webhookUrl], SMALL_BODIES));
      runs.watching.push(await measure([watching.webhookUrl], SMALL_BODIES));
    }
    const baseline = mean(runs.none, (f) => f.reqPerSec);
    const ratio = mean(runs.watching, (f) => f.reqPerSec) / baseline;
    const count = (value: number) => Math.round(value).toLocaleString('en-US');
    printAligned(
      ['hookwatch', 'ingest req/s (runs)', 'vs none', 'p99 ms', 'CPU ms/min', 'polling CPU ms/min', 'polls/min'],
      [
        ['no watches', runs.none.map((run) => count(run.reqPerSec)).join(' / '), '1.00x', mean(runs.none, (f) => f.p99).toFixed(1), count(cpuNone), '-', '0'],
        [`${WATCHES} watches / 30 s`, runs.watching.map((run) => count(run.reqPerSec)).join(' / '), `${ratio.toFixed(2)}x`, mean(runs.watching, (f) => f.p99).toFixed(1), count(cpuWatching), count(cpuWatching - cpuNone), count(pollsPerMinute)],
      ],
    );
    const share = (cpuWatching - cpuNone) / 60_000;
    const ok = ratio >= GOAL_RATIO && pollsPerMinute >= 0.9 * (WATCHES * 60_000) / EVERY_MS;
    console.log(`polling: ${(share * 100).toFixed(1)}% of one core; ingest with ${WATCHES} watches / without: ${ratio.toFixed(2)}x (goal >= ${GOAL_RATIO}); ${count(pollsPerMinute)} polls a minute of ${count((WATCHES * 60_000) / EVERY_MS)} due -> ${ok ? 'pass' : 'FAIL'}`);
    return ok;
  } finally {
    for (const running of all) {
      await stopChild(running.child);
      await rm(running.dataDir, { recursive: true, force: true });
    }
    await api.close();
  }
}
