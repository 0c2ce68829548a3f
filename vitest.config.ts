import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build.ts', 'test/setup/temp-root.ts', 'test/setup/postgres-server.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: process-level tests spawn services of their own.
    maxWorkers: 2,
  },
});
