/** Per-key call rates in the fakes (Telegram chats, Slack and Discord channels). */

/** Arrival times of calls per key (a chat or channel id), and the densest window of them. */
export class ArrivalRates<K> {
  private readonly times = new Map<K, number[]>();

  record(key: K, at = Date.now()): void {
    this.times.set(key, [...this.timesOf(key), at]);
  }

  timesOf(key: K): number[] {
    return this.times.get(key) ?? [];
  }

  /** The most calls `key` received within any `windowMs`. */
  maxInWindow(key: K, windowMs: number): number {
    const times = this.timesOf(key);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= windowMs) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  /** maxInWindow of the busiest key (0 when nothing was recorded). */
  maxOverKeys(windowMs: number): number {
    return Math.max(0, ...[...this.times.keys()].map((key) => this.maxInWindow(key, windowMs)));
  }

  /** The most calls received within any `windowMs`, all keys together (a platform-wide limit). */
  maxInWindowOverall(windowMs: number): number {
    const all = new ArrivalRates<'all'>();
    for (const at of [...this.times.values()].flat().sort((a, b) => a - b)) all.record('all', at);
    return all.maxInWindow('all', windowMs);
  }
}
