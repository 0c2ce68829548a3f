/** Waiting in the fakes for something to happen: shared by the Telegram, Slack and Discord fakes. */

export interface WaitersOptions {
  /** Also re-check every `pollMs` ms, for conditions on the test's side (client state, caught errors). Default off. */
  pollMs?: number;
  /** A probe that throws rejects its wait with the error (otherwise the error propagates out of the check). */
  rejectProbeErrors?: boolean;
}

/** Promises that settle once a probe returns something, re-checked on every notify() (and every `pollMs`, if set). */
export class Waiters {
  private readonly listeners = new Set<() => void>();

  /** `owner` names the fake in timeout errors, e.g. `SlackFake`. */
  constructor(private readonly owner: string, private readonly options: WaitersOptions = {}) {}

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const { pollMs, rejectProbeErrors = false } = this.options;
    return new Promise((resolve, reject) => {
      const check = () => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (error) {
          if (!rejectProbeErrors) throw error;
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.owner}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = pollMs === undefined ? undefined : setInterval(check, pollMs);
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }
}
