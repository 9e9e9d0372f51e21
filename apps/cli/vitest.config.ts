import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Console output (tfjs's advice, progress bars) only from a failing test.
    silent: 'passed-only',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 90_000,
    // A home with no cache: the tests use the embedded digits even where full MNIST was fetched.
    env: { CNNLAB_HOME: join(tmpdir(), 'cnnlab-test-home-without-cache') },
  },
});
