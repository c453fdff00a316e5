import { defineConfig } from '@playwright/test';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chromiumLaunchOptions } = require('./chromium.cjs');

/**
 * Drives Debian's Chromium (no browser download) against the running demo app
 * (`scripts/demo.sh --background`, which `scripts/test-all.sh` starts).
 */
export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: '../node_modules/.cache/e2e-test-results',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1400, height: 1000 },
  },
});
