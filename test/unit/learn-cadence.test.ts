import { describe, expect, it } from 'vitest';
import { LEARN_FLOOR_MS, learnCadence, type Arrival } from '../../src/alerts/learn-cadence.ts';

const MINUTE = 60_000;
const every = (event: string, gapMs: number, count: number, start = 0): Arrival[] => Array.from({ length: count }, (_, i) => ({ at: start + i * gapMs, event }));

describe('learning an endpoint\'s cadence per event type', () => {
  it('expects three times the 95th-percentile gap of each event type', () => {
    const learned = learnCadence([...every('invoice.paid', 20 * MINUTE, 30), ...every('charge.refunded', 2 * 60 * MINUTE, 12)]);
    expect(learned).toEqual([
      { event: 'invoice.paid', everyMs: 60 * MINUTE, lastAt: 29 * 20 * MINUTE, samples: 30 },
      { event: 'charge.refunded', everyMs: 6 * 60 * MINUTE, lastAt: 11 * 2 * 60 * MINUTE, samples: 12 },
    ]);
  });

  it('judges by the slow gaps, not the average: two 40m gaps among eighteen of 1m set the pace', () => {
    const arrivals = every('sync', MINUTE, 19);
    arrivals.push({ at: arrivals.at(-1)!.at + 40 * MINUTE, event: 'sync' });
    arrivals.push({ at: arrivals.at(-1)!.at + 40 * MINUTE, event: 'sync' });
    expect(learnCadence(arrivals)[0]!.everyMs).toBe(120 * MINUTE);
  });

  it('never expects a gap under the floor, however quick the bursts', () => {
    expect(learnCadence(every('tick', 1000, 50))[0]!.everyMs).toBe(LEARN_FLOOR_MS);
  });

  it('does not judge an event type seen fewer than ten times', () => {
    expect(learnCadence([...every('rare', MINUTE, 9), ...every('__proto__', MINUTE, 10)]).map((cadence) => cadence.event)).toEqual(['__proto__']);
  });
});
