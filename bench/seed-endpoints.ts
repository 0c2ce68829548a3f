import type { Delivery } from '../src/domain/delivery.ts';
import type { Endpoint } from '../src/domain/endpoint.ts';
import { createDeliveryIdGenerator, newEndpointId, newToken } from '../src/domain/ids.ts';
import { createDeliveryRepository } from '../src/store/delivery-repository.ts';
import { createEndpointRepository } from '../src/store/endpoint-repository.ts';
import { createExpectationRepository } from '../src/store/expectation-repository.ts';
import { keys } from '../src/store/keys.ts';
import { openStore } from '../src/store/open-store.ts';

/** Written together, so the group commit makes few fsyncs of them. */
const PER_BATCH = 500;
/** A chat may own 100 endpoints (the `new` command's limit): the seeded ones go to chats of their own. */
const PER_CHAT = 100;

export interface Seed {
  count: number;
  /** Each endpoint expects a delivery every this often, its first check spread evenly over the next minute. */
  everyMs?: number;
  /** Each endpoint has one delivery from now, so a check finds it fine (with a gap over a minute). */
  delivered?: boolean;
  now: number;
}

const FIRST_CHECKS_OVER_MS = 60_000;

/**
 * Endpoints of console chats (not the one typed in) written into a fresh database before hookwatch starts, with the same
 * repositories the `new` and `expect` commands use (10,000 commands typed one by one would take minutes).
 */
export async function seedEndpoints(databaseUrl: string, seed: Seed): Promise<void> {
  const store = await openStore(databaseUrl);
  const endpoints = createEndpointRepository(store, () => seed.now);
  const expectations = createExpectationRepository(store);
  const deliveries = createDeliveryRepository(store);
  const nextId = createDeliveryIdGenerator();
  try {
    for (let start = 0; start < seed.count; start += PER_BATCH) {
      const batch = Array.from({ length: Math.min(PER_BATCH, seed.count - start) }, (_, i): Endpoint => ({
        id: newEndpointId(),
        token: newToken(),
        name: `e${String(start + i).padStart(5, '0')}`,
        owner: { platform: 'console', chatId: `seeded-${Math.floor((start + i) / PER_CHAT)}` },
        createdAt: seed.now,
        mutedUntil: null,
      }));
      await Promise.all(
        batch.map(async (endpoint, i) => {
          await endpoints.save(endpoint);
          const { everyMs } = seed;
          // Set almost one gap ago: the first checks (one gap after) fall due evenly over the next minute.
          if (everyMs) await expectations.set(endpoint.id, { mode: 'every', everyMs, since: seed.now - everyMs + ((start + i) * FIRST_CHECKS_OVER_MS) / seed.count });
          if (seed.delivered) await deliveries.add(deliveryOf(endpoint.id, nextId(seed.now), seed.now), []);
        }),
      );
    }
  } finally {
    await store.close();
  }
}

function deliveryOf(endpointId: string, id: string, at: number): Delivery {
  const body = Buffer.from('{"type":"seeded"}');
  return { id, endpointId, receivedAt: at, method: 'POST', subPath: '', query: '', headers: [['content-type', 'application/json']], body: body.toString('base64'), size: body.length, sourceIp: '127.0.0.1' };
}

/** How many alerts are open in a stopped hookwatch's database. */
export async function countOpenAlerts(databaseUrl: string): Promise<number> {
  const store = await openStore(databaseUrl);
  try {
    return await store.count(keys.openAlerts);
  } finally {
    await store.close();
  }
}
