import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** An even request schedule: one request every 1000 / perSecond ms, at most `connections` in flight. */
export interface Pace {
  perSecond: number;
  seconds: number;
  connections: number;
}

export interface PacedResult {
  /** Per answered request: ms from sending it to having read its whole answer. */
  latencies: number[];
  /** Delivery ids hookwatch answered 2xx with, per target URL (empty for a receiver that names none). */
  ids: string[][];
  ok: number;
  non2xx: number;
  /** Requests that got no answer at all (socket errors). */
  errors: number;
  /** Wall time from the first scheduled request to the last answer. */
  seconds: number;
  /** How late the latest request left against its slot: the schedule was kept only if this stays small. */
  maxLagMs: number;
}

/** One POST over `agent`; resolves with the status and the whole answer. */
function post(agent: Agent, url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Unique per request, so no two look like a redelivery of one event; two event types, as a real stream has. */
const bodyOf = (n: number) => JSON.stringify({ id: `evt_burst_${n}`, type: n % 3 === 0 ? 'charge.refunded' : 'charge.succeeded', n });

/**
 * perSecond × seconds POSTs round-robin over `urls` on a fixed schedule, through `connections` workers
 * sharing that many keep-alive sockets, each request timed on its own for the percentiles; stops early
 * once `signal` is aborted. Autocannon cannot pace evenly nor hand back each answer's delivery id; node:http
 * rather than fetch, as fetch's own CPU in this process made the bare baseline's p99 3-4x worse on 2 cores.
 */
export async function pacedLoad(urls: string[], pace: Pace, signal?: AbortSignal): Promise<PacedResult> {
  const total = pace.perSecond * pace.seconds;
  const slotMs = 1000 / pace.perSecond;
  const result: PacedResult = { latencies: [], ids: urls.map(() => []), ok: 0, non2xx: 0, errors: 0, seconds: 0, maxLagMs: 0 };
  // A short lead, so every worker is already waiting when the first slot comes.
  const start = performance.now() + 20;
  let next = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: pace.connections });

  async function send(n: number): Promise<void> {
    const target = n % urls.length;
    const sentAt = performance.now();
    try {
      const { status, text } = await post(agent, urls[target]!, bodyOf(n));
      result.latencies.push(performance.now() - sentAt);
      if (status < 200 || status > 299) {
        result.non2xx += 1;
        return;
      }
      result.ok += 1;
      const id = (JSON.parse(text) as { id?: unknown }).id;
      if (typeof id === 'string') result.ids[target]!.push(id);
    } catch {
      result.errors += 1; // no answer (socket error) or, never from these receivers, a 2xx body that is not JSON
    }
  }

  async function worker(): Promise<void> {
    // Aborted: the caller gave up and stopped the receiver; no request is left to fail against it.
    while (next < total && !signal?.aborted) {
      const n = next++;
      const slot = start + n * slotMs;
      const early = slot - performance.now();
      if (early > 0) await sleep(early);
      result.maxLagMs = Math.max(result.maxLagMs, performance.now() - slot);
      await send(n);
    }
  }

  try {
    await Promise.all(Array.from({ length: pace.connections }, worker));
  } finally {
    agent.destroy();
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}
