/**
 * Waits for `work` to settle (either way), or `ms` at most. A platform session stopped while it is still
 * connecting would connect anyway (discord.js and Bolt keep going after a stop that comes mid-start), so a
 * stop first lets the start finish; the bound keeps a platform that never answers from holding the stop.
 */
export async function settledWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([work?.then(() => undefined, () => undefined), timeout]);
  clearTimeout(timer);
}
