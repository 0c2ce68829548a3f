import { describe, expect, it } from 'vitest';
import { formatZoned, nextBoundaryAfter, periodEndAt, periodEndingAt } from '../../src/email/digest-period.ts';

const utc = { hour: 8, timeZone: 'UTC' };
const berlin = { hour: 8, timeZone: 'Europe/Berlin' };
const at = (iso: string) => Date.parse(iso);

describe('digest periods', () => {
  it('ends hourly periods at the top of the hour', () => {
    expect(periodEndAt('hourly', at('2026-11-26T17:59:59.999Z'), utc)).toBe(at('2026-11-26T17:00:00Z'));
    expect(periodEndAt('hourly', at('2026-11-26T17:00:00Z'), utc)).toBe(at('2026-11-26T17:00:00Z'));
    expect(periodEndingAt('hourly', at('2026-11-26T17:00:00Z'), utc)).toEqual({ start: at('2026-11-26T16:00:00Z'), end: at('2026-11-26T17:00:00Z') });
    expect(nextBoundaryAfter(at('2026-11-26T17:20:00Z'), utc)).toBe(at('2026-11-26T18:00:00Z'));
  });

  it('follows a half-hour zone for the top of the local hour', () => {
    expect(periodEndAt('hourly', at('2026-11-26T17:20:00Z'), { hour: 8, timeZone: 'Asia/Kolkata' })).toBe(at('2026-11-26T16:30:00Z'));
  });

  it('ends daily periods at DIGEST_HOUR in DIGEST_TIMEZONE', () => {
    expect(periodEndAt('daily', at('2026-11-26T07:59:00Z'), utc)).toBe(at('2026-11-25T08:00:00Z'));
    expect(periodEndAt('daily', at('2026-11-26T08:00:00Z'), utc)).toBe(at('2026-11-26T08:00:00Z'));
    // Berlin is UTC+1 in winter: 08:00 local is 07:00Z.
    expect(periodEndAt('daily', at('2026-11-26T07:30:00Z'), berlin)).toBe(at('2026-11-26T07:00:00Z'));
    expect(periodEndAt('daily', at('2026-11-26T06:30:00Z'), berlin)).toBe(at('2026-11-25T07:00:00Z'));
  });

  it('makes the day of a DST change 23 or 25 hours long', () => {
    // 29 March 2026: Berlin springs forward (CET -> CEST).
    const spring = periodEndingAt('daily', periodEndAt('daily', at('2026-03-29T12:00:00Z'), berlin), berlin);
    expect(spring).toEqual({ start: at('2026-03-28T07:00:00Z'), end: at('2026-03-29T06:00:00Z') });
    // 25 October 2026: back to CET.
    const autumn = periodEndingAt('daily', periodEndAt('daily', at('2026-10-25T12:00:00Z'), berlin), berlin);
    expect(autumn).toEqual({ start: at('2026-10-24T06:00:00Z'), end: at('2026-10-25T07:00:00Z') });
    // 02:00 does not exist on the spring day: the digest goes at 03:00 CEST instead.
    expect(periodEndAt('daily', at('2026-03-29T12:00:00Z'), { hour: 2, timeZone: 'Europe/Berlin' })).toBe(at('2026-03-29T01:00:00Z'));
    expect(formatZoned(at('2026-03-29T06:00:00Z'), 'Europe/Berlin')).toBe('29 Mar 2026, 08:00 CEST');
  });
});
