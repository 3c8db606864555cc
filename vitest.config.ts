import { defineConfig } from 'vitest/config';

// Unit tests (`*.test.ts` beside the code) need nothing but Node. Integration tests
// (`*.integration.test.ts` and test/) get real Kafka and Redis from test/harness/global-setup.ts.
// forks: chDB allows one data directory per process, and each test file gets its own process.
const integrationFiles = ['packages/*/src/**/*.integration.test.ts', 'infra/src/**/*.integration.test.ts', 'test/**/*.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'infra/src/**/*.test.ts', 'packages/*/scripts/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [...integrationFiles, '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integrationFiles,
          exclude: ['**/node_modules/**', 'test/harness/**'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
