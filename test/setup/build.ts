import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/npm-start.ts';

/** vitest globalSetup: compile src/ once, so process tests run what `npm start` runs (see npm-start.ts). */
export default function build(): void {
  execFileSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}
