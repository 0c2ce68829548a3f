import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest globalSetup: one temporary folder for the whole run, under which every test's database goes
 * (tempDatabaseUrl), removed when the run ends, so a run leaves nothing behind in the system temp dir.
 * Workers start after this and inherit the variable.
 */
export default function tempRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'hookwatch-test-run-'));
  process.env.HOOKWATCH_TEST_TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
