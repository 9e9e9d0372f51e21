import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Root-level tests: they check the packages as a user gets them from the registry, so they run
// after `turbo run build` (see the root `test` script) and never import packages' sources.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    // One temp project is shared by every test of the file; it is slow to set up, not to run.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
