import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Console output (tfjs's advice, progress bars) only from a failing test.
    silent: 'passed-only',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
