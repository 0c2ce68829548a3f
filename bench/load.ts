import autocannon from 'autocannon';

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

function fire(url: string, seconds: number): PromiseLike<autocannon.Result> {
  return autocannon({
    url,
    connections: SETTINGS.connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
}

/** One uncounted warm-up (JIT, connection setup, SQLite caches), then the measured run. */
export async function measure(url: string): Promise<LoadFigures> {
  const warmup = await fire(url, SETTINGS.warmupSeconds);
  const run = await fire(url, SETTINGS.seconds);
  return {
    reqPerSec: run.requests.average,
    p50: run.latency.p50,
    p99: run.latency.p99,
    non2xx: run.non2xx,
    errors: run.errors + run.timeouts,
    total2xx: warmup['2xx'] + run['2xx'],
  };
}
