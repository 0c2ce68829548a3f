import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

/**
 * An Agent of the undici that @discordjs/rest bundles (6.x). Without one, its requests go through the
 * process's global dispatcher, which the newer undici hookwatch uses for forwarding claims first; that
 * dispatcher cannot send the older undici's FormData, so every upload (payload files, charts) failed.
 */
export function createDiscordRestAgent(): Dispatcher {
  const fromRest = createRequire(createRequire(import.meta.url).resolve('@discordjs/rest'));
  const { Agent } = fromRest('undici') as { Agent: new () => Dispatcher };
  return new Agent();
}
