import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Fixture {
  file: string;
  provider: string | null;
  event?: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  bodyBase64?: string;
  secret?: string;
  timestamp?: number;
}

/** The sample deliveries in `test/fixtures` (see its README). */
export const FIXTURES_DIR = resolve(import.meta.dirname, '../fixtures');

export const fixtures: Fixture[] = readdirSync(FIXTURES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as Omit<Fixture, 'file'>) }));

export function fixtureBytes(fixture: Fixture): Buffer {
  return fixture.bodyBase64 !== undefined ? Buffer.from(fixture.bodyBase64, 'base64') : Buffer.from(fixture.body ?? '', 'utf8');
}

export function fixtureNamed(prefix: string): Fixture {
  const found = fixtures.find((fixture) => fixture.file.startsWith(prefix));
  if (!found) throw new Error(`no fixture ${prefix}`);
  return found;
}

/** Sends a fixture the way its provider would. */
export function postFixture(url: string, fixture: Fixture): Promise<Response> {
  return fetch(url, { method: fixture.method, headers: fixture.headers, body: new Uint8Array(fixtureBytes(fixture)) });
}
