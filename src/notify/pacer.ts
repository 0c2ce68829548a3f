/** A platform's documented pace: a minimum gap between sends and/or at most `count` per window. */
export interface Pace {
  minIntervalMs?: number;
  window?: { count: number; ms: number };
}

/** A platform's pace for one chat, and for the whole bot. */
export interface ChatPace {
  chat: Pace;
  platform?: Pace;
}

/** Remembers recent sends (starting from `sentAt`) and says how long to wait before the next one keeps to the pace. */
export function createPacer(pace: Pace, sentAt: number[] = []) {
  const windowMs = pace.window?.ms ?? 0;
  const forget = (now: number) => {
    while (sentAt.length > 0 && sentAt[0]! <= now - Math.max(windowMs, pace.minIntervalMs ?? 0)) sentAt.shift();
  };

  return {
    delayMs(now: number): number {
      forget(now);
      const last = sentAt.at(-1);
      const gap = last === undefined ? 0 : last + (pace.minIntervalMs ?? 0) - now;
      const full = pace.window && sentAt.length >= pace.window.count ? sentAt[sentAt.length - pace.window.count]! + windowMs - now : 0;
      return Math.max(0, gap, full);
    },
    record(now: number): void {
      sentAt.push(now);
    },
    /** The sends that still count against the pace at `now`. */
    recent(now: number): number[] {
      forget(now);
      return [...sentAt];
    },
  };
}
