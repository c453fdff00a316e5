import { APIRequestContext, expect, test } from '@playwright/test';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
const SERVICE = 'checkout-api';
const ENTITY_PATH = `/api/nthlayer/v1/entities/component/default/${SERVICE}`;

/** The four multi-window, multi-burn-rate alert pairs (DESIGN §3). */
const ALERT_PAIRS = [
  { long: '1h', short: '5m', factor: 14.4 },
  { long: '6h', short: '30m', factor: 6 },
  { long: '1d', short: '2h', factor: 3 },
  { long: '3d', short: '6h', factor: 1 },
];
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

async function guestToken(request: APIRequestContext): Promise<string> {
  const res = await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).backstageIdentity.token;
}

/** Same format as the table: `0.52×`, `14.4×`, `250×`, `—`. */
function formatBurnRate(rate: number | null): string {
  if (rate === null) return '—';
  if (rate >= 100) return `${Math.round(rate)}×`;
  if (rate >= 10) return `${rate.toFixed(1)}×`;
  return `${rate.toFixed(2)}×`;
}

test('the Reliability tab shows the budget burn-down and the burn rates of checkout-api', async ({ page, request }) => {
  const token = await guestToken(request);
  // Make sure at least one measurement (and so one history point) exists on a fresh start.
  // The refresh is triggered on the scheduler (202; 429/409 when one was just asked for or is
  // running): wait for the history point it writes.
  const headers = { Authorization: `Bearer ${token}` };
  const refresh = await request.post(`${BACKEND}/api/nthlayer/v1/refresh`, { headers });
  expect([202, 409, 429]).toContain(refresh.status());
  await expect
    .poll(
      async () => {
        const res = await request.get(`${BACKEND}${ENTITY_PATH}/slos/availability/history`, { headers });
        return res.ok() ? (await res.json()).points.length : 0;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);

  const slosResponse = page.waitForResponse(
    r => r.url().endsWith(`${ENTITY_PATH}/slos`) && r.request().method() === 'GET',
  );
  const historyResponse = page.waitForResponse(r =>
    r.url().includes(`${ENTITY_PATH}/slos/availability/history`),
  );
  await page.goto(`/catalog/default/component/${SERVICE}/nthlayer`);

  const history = await historyResponse;
  expect(history.status(), 'GET .../slos/availability/history').toBe(200);
  const historyBody = await history.json();
  expect(historyBody.slo).toBe('availability');
  expect(historyBody.points.length, 'history points of availability').toBeGreaterThan(0);
  const seen = await (await slosResponse).json();
  const availability = seen.slos.find((s: any) => s.name === 'availability');
  expect(availability).toBeTruthy();

  // One section per SLO, in the API's order.
  for (const slo of seen.slos) {
    await expect(page.getByTestId(`nthlayer-section-${slo.name}`)).toBeVisible();
  }

  // The burn-down: a recharts surface with the budget curve drawn and the target line.
  const chart = page.getByTestId('nthlayer-budget-chart-availability');
  await expect(chart.locator('[data-state="ready"]')).toBeVisible();
  const surface = chart.locator('svg.recharts-surface');
  await expect(surface).toBeVisible();
  const curve = surface.locator('path.recharts-area-curve');
  await expect(curve).toHaveCount(1);
  await expect(curve).toHaveAttribute('d', /^M[-\d.]+,[-\d.]+/);
  await expect(chart.getByText('budget exhausted / target')).toBeVisible();
  const box = await surface.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(200);

  // The burn table shows what the API says, windows and alert pairs.
  const table = page.getByTestId('nthlayer-burn-table-availability');
  await expect(table).toBeVisible();
  const rates: Record<string, number | null> = Object.fromEntries(
    availability.burnRates.map((r: any) => [r.window, r.burnRate]),
  );
  for (const window of WINDOWS) {
    await expect(table.getByTestId(`burn-rate-${window}`)).toHaveText(
      formatBurnRate(rates[window] ?? null),
    );
  }
  for (const pair of ALERT_PAIRS) {
    const long = rates[pair.long];
    const short = rates[pair.short];
    const firing =
      !availability.lowTraffic &&
      long !== null && short !== null && long > pair.factor && short > pair.factor;
    const row = table.getByTestId(`nthlayer-burn-alert-${pair.long}-${pair.short}`);
    await expect(row).toHaveAttribute('data-firing', String(firing));
    if (firing) await expect(row.getByText('firing')).toBeVisible();
  }
  if (availability.lowTraffic) {
    await expect(table.getByText(/Low traffic/)).toBeVisible();
  }

  if (process.env.NTHLAYER_TAB_SCREENSHOT) {
    await page.screenshot({ path: process.env.NTHLAYER_TAB_SCREENSHOT, fullPage: true });
  }
});
