export type DigestSchedule = 'hourly' | 'daily';

export interface PeriodClock {
  /** Local hour (0-23) of daily digests. */
  hour: number;
  /** IANA time zone of `hour` and of the times shown in digests. */
  timeZone: string;
}

export interface Period {
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of an instant in a time zone. */
function localParts(ms: number, timeZone: string) {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partsFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, Number(part.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far the zone's wall clock is ahead of UTC at this instant (whole seconds). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a local date and hour begins; a time skipped by DST moves forward past the gap. */
function zonedHour(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  return guess - offsetAt(guess - offsetAt(guess, timeZone), timeZone);
}

/** The latest boundary at or before `ms`: the top of a local hour, or DIGEST_HOUR local time. */
export function periodEndAt(schedule: DigestSchedule, ms: number, clock: PeriodClock): number {
  if (schedule === 'hourly') {
    const local = ms + offsetAt(ms, clock.timeZone);
    return ms - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS);
  }
  const today = localParts(ms, clock.timeZone);
  const todays = zonedHour(today.year, today.month, today.day, clock.hour, clock.timeZone);
  if (todays <= ms) return todays;
  const yesterday = new Date(Date.UTC(today.year, today.month - 1, today.day - 1));
  return zonedHour(yesterday.getUTCFullYear(), yesterday.getUTCMonth() + 1, yesterday.getUTCDate(), clock.hour, clock.timeZone);
}

/** The regular period that ends at `end` (a boundary): one hour, or one local day (23-25 hours across DST). */
export function periodEndingAt(schedule: DigestSchedule, end: number, clock: PeriodClock): Period {
  return { start: periodEndAt(schedule, end - 1, clock), end };
}

/** The next boundary of any schedule after `ms` (daily ones fall on local hours too). */
export function nextBoundaryAfter(ms: number, clock: PeriodClock): number {
  return periodEndAt('hourly', ms, clock) + HOUR_MS;
}

/** `26 Nov 2026, 17:00 UTC` in the digest's time zone. */
export function formatZoned(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(ms);
}

/** `17:00` in the digest's time zone. */
export function formatZonedHour(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}
