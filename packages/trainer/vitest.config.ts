import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Console output (tfjs's advice, progress bars) only from a failing test.
    silent: 'passed-only',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // beforeAll hooks train models too: on a loaded machine they outlast the 10 s default.
    hookTimeout: 60_000,
    // The learning tests share two cores: running files one after another keeps each fast.
    fileParallelism: false,
  },
});
