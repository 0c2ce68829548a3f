import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
// undici's own request: the service in this process loads undici 7, whose global dispatcher Node's fetch cannot drive.
import { request } from 'undici';
import type { KeyValueStore } from '../src/store/key-value-store.ts';
import { openStore } from '../src/store/open-store.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';
import { createRecordingChannel } from '../test/helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig } from '../test/helpers/start-test-service.ts';
import { REALISTIC_BODY_BYTES, REALISTIC_ENDPOINTS, realisticRequest } from './realistic-deliveries.ts';

/** The reference load: 300 deliveries a second, for 10 s. */
const PER_SECOND = 300;
const SECONDS = 10;

/**
 * What a realistic delivery costs the store, measured in-process (the service as the tests start it,
 * a chat that accepts every notification at once): SQLite statements per delivery, from its request
 * to its notification's removal, retention's trims included; and database bytes per delivery after
 * a clean stop, against the body bytes.
 */
export async function measureStorageCost(): Promise<void> {
  const config = testConfig();
  let store: KeyValueStore | undefined;
  const service = await startTestService(config, [createRecordingChannel().channel], {
    openStore: async (url) => (store = await openStore(url)),
  });
  const urls: string[] = [];
  for (let i = 0; i < REALISTIC_ENDPOINTS; i++) urls.push(localUrl(service, await say(service, `new bench${i + 1}`)));
  const before = store!.statements();

  const total = PER_SECOND * SECONDS;
  const started = performance.now();
  const answers: Array<Promise<boolean>> = [];
  let bodyBytes = 0;
  for (let n = 0; n < total; n++) {
    const wait = started + (n * 1000) / PER_SECOND - performance.now();
    if (wait > 0) await sleep(wait);
    const { headers, body } = realisticRequest(n);
    bodyBytes += Buffer.byteLength(body);
    answers.push(request(urls[n % urls.length]!, { method: 'POST', headers, body }).then(async (response) => (await response.body.arrayBuffer(), response.statusCode < 300)));
  }
  const stored = (await Promise.all(answers)).filter(Boolean).length;
  await drained(config.DATABASE_URL);
  const statements = store!.statements() - before;
  await service.stop();

  const path = config.DATABASE_URL.replace(/^sqlite:\/\//, '');
  const fileBytes = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  rmSync(dirname(path), { recursive: true, force: true });
  const meanBody = bodyBytes / total;
  console.log(`store cost, in-process, ${PER_SECOND} realistic deliveries/s for ${SECONDS} s over ${REALISTIC_ENDPOINTS} endpoints (bodies ${REALISTIC_BODY_BYTES.join(' and ')} bytes), each notified:`);
  console.log(`  ${stored} stored, ${statements} SQLite statements: ${(statements / stored).toFixed(2)} per delivery (request to notification removed, retention included)`);
  console.log(`  database ${(fileBytes / 1024 / 1024).toFixed(2)} MB: ${Math.round(fileBytes / stored)} bytes per delivery, ${(fileBytes / stored / meanBody).toFixed(2)}x the mean body (${Math.round(meanBody)} bytes; goal <= 1.5x)`);
}

/** Until every notification left the outbox, read over a connection of its own (its statements not counted). */
async function drained(databaseUrl: string): Promise<void> {
  const reader = await createSqliteStore(databaseUrl);
  while ((await reader.count('outbox:')) > 0) await sleep(100);
  await reader.close();
}
