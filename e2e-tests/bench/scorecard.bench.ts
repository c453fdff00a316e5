/*
 * Scorecard page render time with a 10,000-service portfolio in Debian's Chromium: the
 * portfolio request is answered with a file made by makePortfolio.ts (the backend's own
 * buildPortfolio), everything else by the running demo. Prints a table; asserts nothing but
 * that the page shows the rows.
 */
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { cpus } from 'node:os';
import { resolve } from 'node:path';

const FILE = resolve(__dirname, '../../node_modules/.cache/bench-portfolio.json');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

test('scorecard render with a large portfolio', async ({ page }) => {
  const body = readFileSync(FILE);
  const portfolio = JSON.parse(body.toString('utf8'));
  // Served over a real socket, gzipped as the backend serves it: answering through
  // route.fulfill hands 13 MB over the DevTools protocol, which costs seconds a real network
  // would not.
  const gzipped = gzipSync(body);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Access-Control-Allow-Origin': '*' });
    res.end(gzipped);
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  await page.route('**/api/nthlayer/v1/portfolio**', route => route.continue({ url: `http://127.0.0.1:${port}/portfolio` }));
  const rows: string[][] = [];
  for (let run = 1; run <= RUNS; run++) {
    // The app is loaded first (the dev bundle alone takes seconds here); then the page is
    // opened from the sidebar, as a user does: fetch, parse, render.
    await page.goto('/catalog');
    await expect(page.getByRole('link', { name: 'Scorecards' }).first()).toBeVisible({ timeout: 120_000 });
    const start = Date.now();
    await page.getByRole('link', { name: 'Scorecards' }).first().click();
    await expect(page.getByTestId('nthlayer-service-name').first()).toBeVisible({ timeout: 120_000 });
    const firstRows = Date.now() - start;
    // How much of it was the download.
    const fetchMs = await page.evaluate(() => {
      const entries = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/nthlayer/v1/portfolio'));
      const e = entries[entries.length - 1] as PerformanceResourceTiming | undefined;
      return e ? Math.round(e.responseEnd - e.startTime) : null;
    });
    await page.evaluate(() => performance.clearResourceTimings());
    await expect(page.getByTestId('nthlayer-services-count')).toContainText(String(portfolio.services.length).slice(0, 2));
    // Sort the services table by name, twice (descending): the last service comes first.
    const last = portfolio.services.map((s: { name: string }) => s.name).sort().at(-1);
    const header = page.getByTestId('nthlayer-services-table').getByRole('columnheader', { name: /service/i }).first();
    const sortStart = Date.now();
    await header.click();
    await header.click();
    await expect(page.getByTestId('nthlayer-service-name').first()).toHaveText(last, { timeout: 60_000 });
    const sort = Date.now() - sortStart;
    const heap = await page.evaluate(() => (performance as any).memory?.usedJSHeapSize ?? null);
    rows.push([String(run), `${firstRows}`, `${fetchMs ?? '—'}`, `${fetchMs === null ? '—' : firstRows - fetchMs}`, `${sort}`, heap ? `${Math.round(heap / 1048576)}` : '—']);
  }
  const table = [
    `Scorecard render: ${portfolio.services.length} services (${(body.length / 1048576).toFixed(1)} MiB JSON), ${cpus().length} cores, Chromium headless, ${new Date().toISOString()}`,
    '',
    '| run | sidebar click → first rows (ms) | of which the portfolio download (ms) | the rest: parse + render (ms) | sort by name, twice (ms) | JS heap (MiB) |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows.map(r => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
  console.log(table);
  server.close();
  writeFileSync(resolve(__dirname, 'SCORECARD-RESULTS.md'), `${table}\n`);
});
