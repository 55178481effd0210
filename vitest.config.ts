import { defineConfig } from 'vitest/config';

// One root run so `.ci/run` gets a single pass/fail count (issue #2).
// Tests import the packages by name, so they exercise the built `exports` maps.
export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'tests/*/test/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
