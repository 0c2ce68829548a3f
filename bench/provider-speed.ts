import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detectProvider, providerRequest, verifyDelivery, type ProviderInput } from '../src/providers/index.ts';

interface Sample {
  input: ProviderInput;
  secret: string | undefined;
  nowMs: number;
}

const ROUNDS = 5_000;
const TARGET_US = 200;

/** The shared sample deliveries as provider inputs, each with its secret and signing time. */
function loadSamples(): Sample[] {
  const dir = resolve(import.meta.dirname, '../test/fixtures');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { headers: Record<string, string>; body?: string; bodyBase64?: string; secret?: string; timestamp?: number; url?: string })
    .map((fixture) => ({
      input: {
        headers: Object.entries(fixture.headers),
        body: fixture.bodyBase64 !== undefined ? Buffer.from(fixture.bodyBase64, 'base64') : Buffer.from(fixture.body ?? ''),
        url: fixture.url ?? 'https://hooks.example.com/wh/TOKEN',
      },
      secret: fixture.secret,
      nowMs: (fixture.timestamp ?? 0) * 1000,
    }));
}

/** Mean microseconds per sample of `work` over every sample, after a warm-up. */
function timePerSample(samples: Sample[], work: (sample: Sample) => unknown): number {
  for (let i = 0; i < 500; i++) for (const sample of samples) work(sample);
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) for (const sample of samples) work(sample);
  return Number(process.hrtime.bigint() - started) / 1000 / (ROUNDS * samples.length);
}

/**
 * Detection and verification per delivery, against the floor of reading the body as JSON once
 * (which any receiver that looks at a payload pays).
 */
export function runProviderSpeed(): boolean {
  const samples = loadSamples();
  const floor = timePerSample(samples, ({ input }) => {
    try {
      return JSON.parse(input.body.toString('utf8'));
    } catch {
      return undefined;
    }
  });
  const full = timePerSample(samples, ({ input, secret, nowMs }) => {
    const request = providerRequest(input);
    return verifyDelivery(request, detectProvider(request), secret, nowMs);
  });
  console.log(`\nProvider detection + verification, ${samples.length} fixtures × ${ROUNDS} rounds`);
  console.log(`  JSON.parse of the body (floor): ${floor.toFixed(1)} µs`);
  console.log(`  detect + verify:                ${full.toFixed(1)} µs  (${(full / floor).toFixed(1)}x the floor; target < ${TARGET_US} µs: ${full < TARGET_US ? 'PASS' : 'OVER TARGET'})`);
  return true;
}
