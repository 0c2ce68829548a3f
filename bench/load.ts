import autocannon from 'autocannon';
import { realisticRequest, type BenchRequest } from './realistic-deliveries.ts';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export const SETTINGS: LoadSettings = { connections: 32, warmupSeconds: 1, seconds: 6 };

/** A typical small webhook (~120 bytes of JSON). */
export const BODY = JSON.stringify({
  id: 'evt_1PqR7sT2uV3wX4yZ',
  type: 'invoice.paid',
  created: 1718000000,
  data: { amount: 4200, currency: 'eur', tax: 0 },
});

/** What the load sends: request `n` of a run, spread over the target URLs in turn. */
export interface LoadShape {
  name: string;
  request: (n: number) => BenchRequest;
}

export const SMALL_BODIES: LoadShape = { name: `${Buffer.byteLength(BODY)}-byte JSON`, request: () => ({ headers: { 'content-type': 'application/json' }, body: BODY }) };
export const REALISTIC_BODIES: LoadShape = { name: '1.3 KB GitHub/Stripe JSON, unique event ids', request: realisticRequest };

export interface LoadFigures {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Socket errors and timeouts: requests that got no answer at all. */
  errors: number;
  /** 2xx answers of the warm-up and the measured run together (every one must be stored). */
  total2xx: number;
}

function fire(urls: string[], shape: LoadShape, seconds: number): PromiseLike<autocannon.Result> {
  const paths = urls.map((url) => new URL(url).pathname);
  let n = 0;
  return autocannon({
    url: new URL(urls[0]!).origin,
    connections: SETTINGS.connections,
    duration: seconds,
    requests: [
      {
        setupRequest(request) {
          const { headers, body } = shape.request(n);
          const path = paths[n % paths.length]!;
          n += 1;
          return { ...request, method: 'POST', path, headers, body };
        },
      },
    ],
  });
}

/** One uncounted warm-up (JIT, connection setup, SQLite caches), then the measured run. */
export async function measure(urls: string[], shape: LoadShape): Promise<LoadFigures> {
  const warmup = await fire(urls, shape, SETTINGS.warmupSeconds);
  const run = await fire(urls, shape, SETTINGS.seconds);
  return {
    reqPerSec: run.requests.average,
    p50: run.latency.p50,
    p99: run.latency.p99,
    non2xx: run.non2xx,
    errors: run.errors + run.timeouts,
    total2xx: warmup['2xx'] + run['2xx'],
  };
}
