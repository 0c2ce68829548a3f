const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const MAX_MS = 365 * UNIT_MS.d;

/** Parses `30m`, `2h`, `1d`, `1w` (and `1h30m`); undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:\d+[smhdw])+$/i.test(text) ? text.toLowerCase().match(/\d+[smhdw]/g) : null;
  if (!match) return undefined;
  const total = match.reduce((sum, part) => sum + Number(part.slice(0, -1)) * UNIT_MS[part.at(-1) as keyof typeof UNIT_MS], 0);
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
