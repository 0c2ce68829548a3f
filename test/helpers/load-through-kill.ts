export interface LoadThroughKill {
  deliveries: number;
  concurrency: number;
  /** Sends delivery `n`; resolves with its id when answered 200, else undefined. */
  send: (n: number) => Promise<string | undefined>;
  /** Kills and restarts the service; senders wait for it, as providers retry. */
  restart: (answeredSoFar: string[]) => Promise<void>;
}

/** Deliveries from several senders at once, with a kill -9 and restart halfway while requests are in flight; the ids answered 200. */
export async function loadThroughKill(options: LoadThroughKill): Promise<string[]> {
  const answered: string[] = [];
  let next = 0;
  let restarting: Promise<void> | undefined;
  async function sender(): Promise<void> {
    while (next < options.deliveries) {
      const n = next++;
      if (n === options.deliveries / 2) restarting = options.restart(answered);
      if (restarting) await restarting;
      const id = await options.send(n);
      if (id !== undefined) answered.push(id);
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  return answered;
}
