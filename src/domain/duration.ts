const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const MAX_MS = 365 * UNIT_MS.d;

/** The unit words people type, by the unit they mean. */
const UNIT_WORDS: Record<string, keyof typeof UNIT_MS> = {
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', wk: 'w', wks: 'w', week: 'w', weeks: 'w',
};
const PART = /(\d+(?:\.\d+)?)\s*([a-z]+)/g;

/**
 * Parses durations the way people type them: `30m`, `2h`, `1d`, `1w`, `1h30m`, `1 h`, `1.5h`, `90 min`,
 * `2 hours 15 minutes`; undefined when it is not a duration (or is zero, or over a year).
 */
export function parseDuration(text: string): number | undefined {
  const lower = text.trim().toLowerCase();
  if (!/^(?:\d+(?:\.\d+)?\s*[a-z]+\s*)+$/.test(lower)) return undefined;
  let total = 0;
  for (const [, amount, word] of lower.matchAll(PART)) {
    const unit = UNIT_WORDS[word!];
    if (unit === undefined) return undefined;
    total += Number(amount) * UNIT_MS[unit];
  }
  total = Math.round(total);
  return total > 0 && total <= MAX_MS ? total : undefined;
}

/** `5400000` -> `1h 30m`: the two largest units, for replies. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  for (const [unit, size] of [['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]] as const) {
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${unit}`);
      ms %= size;
    }
  }
  return parts.slice(0, 2).join(' ') || '0s';
}
