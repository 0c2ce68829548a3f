import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/npm-start.ts';

interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as PackageJson;

describe('package.json', () => {
  it('builds once at install (npm install and npm ci both run prepare), not on every start', () => {
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.prestart).toBeUndefined();
    expect(pkg.scripts.start).toMatch(/^node (--\S+ )*dist\/main\.js$/);
  });

  it('keeps the compiler and type-only packages out of what production installs', () => {
    for (const name of ['typescript', '@slack/types']) {
      expect(pkg.dependencies).not.toHaveProperty(name);
      expect(pkg.devDependencies).toHaveProperty(name);
    }
  });
});
