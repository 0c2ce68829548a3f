/**
 * Runs changes one at a time per key and concurrently across keys: what one key's change read is still
 * true when it writes, while changes of other keys share the store's commits.
 */
export function createKeyedSerial() {
  const tails = new Map<string, Promise<unknown>>();
  return function serial<T>(key: string, change: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(change);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return result;
  };
}
