import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The arguments `npm start` gives node ("node <flags> dist/main.js"; dist/ comes from `npm run build`).
 * Tests and the bench run node with them directly rather than through npm: the child pid is then
 * hookwatch itself, so signals and memory figures are its own, and it runs exactly as in production.
 */
export function npmStartArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs "${scripts.start}"; tests expect "node ..."`);
  return args;
}
