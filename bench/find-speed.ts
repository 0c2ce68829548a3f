import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlerting } from '../src/alerts/create-alerting.ts';
import { createForwarding } from '../src/forward/create-forwarding.ts';
import { createWatchRepository } from '../src/store/watch-repository.ts';
import { createCommandRunner } from '../src/commands/run-command.ts';
import type { Delivery } from '../src/domain/delivery.ts';
import { createDeliveryIdGenerator } from '../src/domain/ids.ts';
import { createLogger } from '../src/logger.ts';
import { createDeliveryRepository } from '../src/store/delivery-repository.ts';
import { createEndpointRepository } from '../src/store/endpoint-repository.ts';
import { createFindRepository } from '../src/store/find-repository.ts';
import type { KeyValueStore } from '../src/store/key-value-store.ts';
import { keys } from '../src/store/keys.ts';
import { createSendErrorRepository } from '../src/store/send-error-repository.ts';
import { createSqliteStore } from '../src/store/sqlite-store.ts';

const ENDPOINTS = 100;
const PER_ENDPOINT = 500;
const ROUNDS = 15;
const EVENTS = ['invoice.paid', 'invoice.created', 'payment_intent.succeeded', 'charge.refunded', 'customer.updated'];
const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');
const QUERIES = ['refundable', 'alpha', '"order 1234"', 'data.object.amount>99000', 'event:invoice.*', 'provider:stripe', 'signature:invalid', 'since:2h', 'charlie event:charge.* data.object.amount<5000', 'nosuchword', 'status:pending', 'status:5xx'];
/** One endpoint in ten forwards: its find entries carry a relay (pending) for `status:`. */
const forwards = (endpointId: string) => endpointId.endsWith('0');

/** A Stripe-like delivery of 1-2 KB JSON; one in 500 mentions "refundable", one in 1,000 "order 1234". */
function deliveryFor(endpointId: string, id: string, at: number, n: number): Delivery {
  const words = Array.from({ length: 80 + (n % 120) }, (_, i) => WORDS[(n * 7 + i * 13) % WORDS.length]).join(' ');
  const event = EVENTS[n % EVENTS.length]!;
  const body = JSON.stringify({
    id: `evt_${n}`,
    type: event,
    data: { object: { id: `pi_${n}`, amount: (n * 7919) % 100_000, currency: 'usd', description: `${words}${n % 500 === 0 ? ' refundable' : ''}`, metadata: { order: n % 1000 === 0 ? 'order 1234' : `order ${n}` } } },
  });
  return {
    id, endpointId, receivedAt: at, method: 'POST', subPath: '', query: '', sourceIp: '127.0.0.1',
    headers: [['content-type', 'application/json']], body: Buffer.from(body).toString('base64'), size: body.length,
    analysis: { provider: 'stripe', providerName: 'Stripe', event, signature: { status: n % 50 === 0 ? 'invalid' : 'valid' } },
  };
}

/** Writes every delivery, 1,000 per batch as concurrent receivers would; returns the seconds it took. */
async function ingest(store: KeyValueStore, write: (delivery: Delivery) => Promise<void>, start: number): Promise<number> {
  const nextId = createDeliveryIdGenerator();
  const started = process.hrtime.bigint();
  for (let batch = 0; batch < ENDPOINTS * PER_ENDPOINT; batch += 1000) {
    const writes: Array<Promise<void>> = [];
    for (let n = batch; n < batch + 1000; n++) {
      const at = start + n * 1000; // one a second: the newest hours hold a few thousand
      writes.push(write(deliveryFor(`ep${String(n % ENDPOINTS).padStart(3, '0')}`, nextId(at), at, n)));
    }
    await Promise.all(writes);
  }
  await store.ping();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function bytesOf(path: string): Promise<number> {
  const sizes = await Promise.all([path, `${path}-wal`].map((file) => stat(file).then((s) => s.size, () => 0)));
  return sizes[0]! + sizes[1]!;
}

/**
 * `npm run bench -- find`: 100 endpoints x 500 deliveries of 1-2 KB JSON in one chat (one endpoint in
 * ten forwarding), stored once with what `find` searches and once without (same run), then each query run through the command
 * layer ROUNDS times against all 50,000.
 */
export async function runFindSpeed(): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'hookwatch-find-'));
  try {
    const total = ENDPOINTS * PER_ENDPOINT;
    const start = Date.now() - total * 1000;
    const plainPath = join(dir, 'plain.sqlite');
    const plain = await createSqliteStore(`sqlite://${plainPath}`);
    const plainSeconds = await ingest(plain, (delivery) => plain.write({ set: [[keys.delivery(delivery.endpointId, delivery.id), delivery]] }), start);
    await plain.close();

    const indexedPath = join(dir, 'indexed.sqlite');
    const store = await createSqliteStore(`sqlite://${indexedPath}`);
    const deliveries = createDeliveryRepository(store);
    const indexedSeconds = await ingest(store, (delivery) => deliveries.add(delivery, [], [], forwards(delivery.endpointId) ? ['target1'] : []), start);

    const now = () => start + total * 1000;
    const endpoints = createEndpointRepository(store, now);
    const chat = { platform: 'console', chatId: 'bench' };
    for (let i = 0; i < ENDPOINTS; i++) {
      const id = `ep${String(i).padStart(3, '0')}`;
      await endpoints.save({ id, token: `token${id}`, name: id, owner: chat, createdAt: start, mutedUntil: null });
    }
    const services = { endpoints, deliveries, find: createFindRepository(store), sendErrors: createSendErrorRepository(store), publicUrl: 'http://localhost', retention: { maxDeliveries: PER_ENDPOINT, maxDays: 30 }, emailEnabled: false, now };
    const logger = createLogger({ level: 'warn' });
    // find uses neither alerts, forwarding, watches nor the receiver: they are the real ones, idle.
    const alerts = createAlerting({ store, endpoints, deliveries, enqueue: () => undefined, remindMs: 86_400_000, logger, now });
    const sendToEndpoint = () => Promise.reject(new Error('the find bench runs no receiver'));
    const forwarding = createForwarding({ store, endpoints, deliveries, alerts: alerts.service, enqueue: () => undefined, config: { PUBLIC_URL: 'http://localhost', FORWARD_ALLOW_PRIVATE: false, FORWARD_TIMEOUT_MS: 10_000, FORWARD_RETRY_HOURS: 24 }, logger, now });
    const runner = createCommandRunner({ ...services, alerts, sendToEndpoint, forwarding, watches: { repo: createWatchRepository(store), allowPrivate: false } }, logger);
    const ctx = { chat, format: (name: string, args: string[] = []) => [name, ...args].join(' ') };

    console.log(`\nfind over ${total.toLocaleString('en')} deliveries (${ENDPOINTS} endpoints x ${PER_ENDPOINT}, 1-2 KB JSON), ${ROUNDS} rounds each`);
    console.log(`  ingest without find entries: ${plainSeconds.toFixed(2)} s, with: ${indexedSeconds.toFixed(2)} s (x${(indexedSeconds / plainSeconds).toFixed(2)})`);
    const [plainBytes, indexedBytes] = [await bytesOf(plainPath), await bytesOf(indexedPath)];
    console.log(`  disk: ${(plainBytes / total).toFixed(0)} B/delivery without, ${(indexedBytes / total).toFixed(0)} B/delivery with (+${((indexedBytes - plainBytes) / total).toFixed(0)} B)`);
    const all: number[] = [];
    for (const query of QUERIES) {
      const times: number[] = [];
      let title = '';
      for (let round = 0; round < ROUNDS; round++) {
        const started = process.hrtime.bigint();
        title = (await runner.runLine(ctx, `find ${query}`)).title;
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      all.push(...times);
      console.log(`  ${query.padEnd(50)} p50 ${median(times).toFixed(0).padStart(4)} ms  max ${Math.max(...times).toFixed(0).padStart(4)} ms  ${title}`);
    }
    const p50 = median(all);
    console.log(`  all queries: p50 ${p50.toFixed(0)} ms (goal: under 500 ms)`);
    await store.close();
    return p50 < 500;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
