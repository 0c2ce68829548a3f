import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeCurlRun {
  /** The arguments `curl` received, byte-exact. */
  argv: Buffer[];
  /** Files in the working directory after the run: anything here was made by the command itself. */
  created: string[];
  stderr: string;
}

/** Records each argument NUL-terminated: printf '%s' passes bytes through untouched. */
const FAKE_CURL = `#!/bin/sh
for argument in "$@"; do printf '%s\\0' "$argument"; done > "$FAKE_CURL_ARGV"
`;

/**
 * Runs a shell command in bash with `curl` replaced by a stub that only records its argv, in an
 * empty working directory, so a test can see exactly what curl would have been given and whether
 * anything else ran (a stray `touch` leaves a file behind).
 */
export function runWithFakeCurl(command: string, variables: Record<string, string> = {}): FakeCurlRun {
  const root = mkdtempSync(join(tmpdir(), 'hookwatch-curl-'));
  const bin = join(root, 'bin');
  const work = join(root, 'work');
  mkdirSync(bin);
  mkdirSync(work);
  writeFileSync(join(bin, 'curl'), FAKE_CURL);
  chmodSync(join(bin, 'curl'), 0o755);
  const argvFile = join(root, 'argv');
  writeFileSync(argvFile, '');
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', command], {
    cwd: work,
    env: { PATH: `${bin}:/usr/bin:/bin`, LC_ALL: 'C.UTF-8', FAKE_CURL_ARGV: argvFile, ...variables },
    encoding: 'utf8',
    timeout: 10_000,
  });
  const recorded = readFileSync(argvFile);
  const created = readdirSync(work);
  rmSync(root, { recursive: true, force: true });
  const argv: Buffer[] = [];
  for (let start = 0, end = recorded.indexOf(0); end !== -1; start = end + 1, end = recorded.indexOf(0, start)) argv.push(recorded.subarray(start, end));
  return { argv, created, stderr: result.stderr };
}
