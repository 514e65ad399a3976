import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file in its own process: libeio's pool is process-wide, and pool
    // tests change its limits.
    pool: 'forks',
    testTimeout: 20_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    hookTimeout: 20_000,
  },
});
