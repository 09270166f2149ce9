import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{api,analysis,db,shared,survey-app,bench,scripts,reliability}/**/*.test.ts'],
    // Database tests create their own databases; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    // One migrated database per engine, cloned for each test (db/testing.setup.ts).
    globalSetup: ['db/testing.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
