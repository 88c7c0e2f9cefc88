import { defineConfig } from 'vitest/config';

/**
 * Browser journeys (e2e/): `npm run test:e2e`. One real server for the whole run (e2e/global-setup.ts),
 * one Chromium per file, files one after another: they share that server and the machine's 2 cores.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // A journey signs in, loads several pages and waits on the browser; the setup may build the UI first.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    env: { TZ: 'UTC' },
  },
});
