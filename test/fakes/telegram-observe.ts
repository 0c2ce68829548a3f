/** Observation helpers of the Telegram fake: waiting for something to happen, and per-chat send rates. */

/** Promises that settle once a probe returns something, re-checked on every notify(). */
export class Waiters {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`TelegramFake: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }
}

/** Arrival times of send/edit calls per chat, and the densest window of them. */
export class ChatRates {
  private readonly times = new Map<number, number[]>();

  record(chatId: number, at = Date.now()): void {
    this.times.set(chatId, [...this.timesOf(chatId), at]);
  }

  timesOf(chatId: number): number[] {
    return this.times.get(chatId) ?? [];
  }

  /** The most calls `chatId` received within any `windowMs`. */
  maxInWindow(chatId: number, windowMs: number): number {
    const times = this.timesOf(chatId);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= windowMs) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  /** maxInWindow of the busiest chat. */
  maxOverChats(windowMs: number): number {
    return Math.max(0, ...[...this.times.keys()].map((chatId) => this.maxInWindow(chatId, windowMs)));
  }
}
