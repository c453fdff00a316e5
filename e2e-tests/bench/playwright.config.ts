import { defineConfig } from '@playwright/test';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chromiumLaunchOptions } = require('../chromium.cjs');

/** The scorecard render benchmark (`yarn bench:scorecard`), against the running demo. */
export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  timeout: 300_000,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../node_modules/.cache/e2e-bench-results',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1400, height: 1000 },
  },
});
