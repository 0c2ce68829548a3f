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

/**
 * Remembers recent sends (starting from `sentAt`) and says how long to wait before the next one keeps to the pace.
 * A send is `record`ed once answered, or `reserve`d before it starts and settled when answered: until then it
 * counts as happening now, since the platform may count it at any moment up to its answer.
 */
export function createPacer(pace: Pace, sentAt: number[] = []) {
  const windowMs = pace.window?.ms ?? 0;
  /** How long a send counts against the pace: nothing, for a chat without one. */
  const countsForMs = Math.max(windowMs, pace.minIntervalMs ?? 0);
  let inFlight = 0;
  const forget = (now: number) => {
    while (sentAt.length > 0 && sentAt[0]! <= now - countsForMs) sentAt.shift();
  };
  const record = (at: number) => {
    let index = sentAt.length;
    while (index > 0 && sentAt[index - 1]! > at) index--;
    sentAt.splice(index, 0, at);
  };

  return {
    delayMs(now: number): number {
      forget(now);
      const times = [...sentAt, ...Array<number>(inFlight).fill(now)];
      const last = times.at(-1);
      const gap = last === undefined ? 0 : last + (pace.minIntervalMs ?? 0) - now;
      const full = pace.window && times.length >= pace.window.count ? times[times.length - pace.window.count]! + windowMs - now : 0;
      return Math.max(0, gap, full);
    },
    record,
    /** Takes a slot before sending; the returned function settles it at the platform's answer. */
    reserve(): (answeredAt: number) => void {
      inFlight += 1;
      return (answeredAt) => {
        inFlight -= 1;
        record(answeredAt);
      };
    },
    /** The sends that still count against the pace at `now`. */
    recent(now: number): number[] {
      forget(now);
      return [...sentAt];
    },
    /** The sends that count against the pace at `now`, one made now included if it counts at all. */
    recentWithSend(now: number): number[] {
      forget(now);
      return countsForMs > 0 ? [...sentAt, now] : [...sentAt];
    },
  };
}
