import { APIRequestContext, expect, test } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
const ROOT = path.resolve(__dirname, '..', '..');
const ENTITY = (name: string) => `${BACKEND}/api/nthlayer/v1/entities/component/default/${name}`;
// The demo's CI token (app-config.yaml): reading the ledger needs no permission.
const CI_TOKEN = 'nthlayer-demo-ci-token';

async function guestToken(request: APIRequestContext): Promise<string> {
  const res = await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).backstageIdentity.token;
}

interface ModelEpisode {
  service: string;
  start: string;
  end: string;
  burnedMinutes: number;
}

/** The burn episodes of the demo's closed-form model (scripts/demo/expected-budgets.mjs), independent of Prometheus and the plugin. */
function modelEpisodes(atMs: number): ModelEpisode[] {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'demo', 'expected-budgets.mjs'), '--json', '--at', String(atMs)],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(out).episodes;
}

/** The ledger once the ledger task has read the whole window and the demo's deploys and incidents are in. */
async function ledgerOf(request: APIRequestContext, token: string, name: string) {
  let ledger: any;
  await expect
    .poll(
      async () => {
        const res = await request.get(`${ENTITY(name)}/ledger`, { headers: { Authorization: `Bearer ${token}` } });
        expect(res.status()).toBe(200);
        ledger = await res.json();
        return ledger.computedAt !== null && ledger.slos[0].consumedMinutes !== null;
      },
      { timeout: 180_000, intervals: [3_000] },
    )
    .toBe(true);
  return ledger;
}

test('checkout-api’s ledger names the bad deploy with high confidence, its burn within 5 % of the model', async ({ request }) => {
  test.setTimeout(240_000);
  const token = await guestToken(request);
  const t0Ms: number = JSON.parse(readFileSync(path.join(ROOT, '.demo', 'scenario.json'), 'utf8')).t0Ms;
  // The bad deploy v4.18.0, 72 h before T0 (model.mjs): poll until the ledger has its
  // incident (delivered as a PagerDuty webhook by record-incidents.mjs) on the episode too.
  let ledger: any;
  let episode: any;
  await expect
    .poll(
      async () => {
        ledger = await ledgerOf(request, token, 'checkout-api');
        const availability = ledger.slos.find((s: any) => s.sloName === 'availability');
        episode = availability.episodes.find((e: any) => Math.abs(Date.parse(e.start) - (t0Ms - 72 * 3_600_000)) < 10 * 60_000);
        return Boolean(episode && episode.cause.source === 'deployments' && episode.incidents.length > 0);
      },
      { timeout: 180_000, intervals: [5_000] },
    )
    .toBe(true);
  expect(episode.cause.label).toBe('deploy v4.18.0');
  expect(episode.cause.confidence.level).toBe('high');
  // Proximity 0.5 (deployed as the burn began) + its own service 0.3 + history: of the two
  // earlier deploys, v4.17.0 was followed by an incident (0.1).
  const candidate = episode.deployments[0];
  expect(candidate.deployment.version).toBe('v4.18.0');
  expect(candidate.confidence.factors.history).toEqual({ score: 0.1, earlier: 2, followed: 1 });
  expect(candidate.confidence.score).toBeGreaterThan(0.8);
  // PD-12390 opened 20 minutes into the burn.
  const pd = episode.incidents.find((i: any) => i.incident.number === '12390');
  expect(pd.minutesAfterBurn).toBeGreaterThanOrEqual(15);
  expect(pd.minutesAfterBurn).toBeLessThanOrEqual(25);

  const model = modelEpisodes(Date.now()).find(
    e => e.service === 'checkout-api' && Math.abs(Date.parse(e.start) - (t0Ms - 72 * 3_600_000)) < 60_000,
  )!;
  expect(model, 'the model’s episode of the bad deploy').toBeDefined();
  const relative = Math.abs(episode.burnedMinutes - model.burnedMinutes) / model.burnedMinutes;
  expect(relative, `ledger ${episode.burnedMinutes} min vs model ${model.burnedMinutes} min`).toBeLessThan(0.05);

  // The deploy's impact: high, its burn, and the timeline of the story.
  const impact = await request.get(`${BACKEND}/api/nthlayer/v1/deployments/${candidate.deployment.id}/impact`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(impact.status()).toBe(200);
  const body = await impact.json();
  expect(body.impact).toBe('high');
  expect(body.burnedMinutes).toBeGreaterThanOrEqual(episode.burnedMinutes);
  const kinds = body.timeline.map((e: any) => e.kind);
  for (const kind of ['deploy-started', 'burn-began', 'incident-opened', 'rollback', 'recovered']) expect(kinds).toContain(kind);
  // api-gateway depends on checkout-api and burned at the same time: the deploy's impact reaches it.
  expect(body.attributed.map((a: any) => a.entityRef)).toContain('component:default/api-gateway');
});

test('payment-api’s burn is attributed to orders-db and its own incident; a healthy service burned nothing', async ({ request }) => {
  test.setTimeout(240_000);
  const token = await guestToken(request);
  let payment: any;
  await expect
    .poll(
      async () => {
        payment = await ledgerOf(request, token, 'payment-api');
        return payment.slos[0].burned.dependencies > 0 && payment.slos[0].burned.incidents > 0;
      },
      { timeout: 180_000, intervals: [5_000] },
    )
    .toBe(true);
  const availability = payment.slos.find((s: any) => s.sloName === 'availability');
  const ongoing = availability.episodes.find((e: any) => e.ongoing);
  expect(ongoing.cause).toMatchObject({ source: 'dependencies', entityRef: 'resource:default/orders-db' });
  expect(ongoing.cause.reason).toContain('orders-db replication lag');
  // Most of its burn is explained; none of it is unattributed.
  const { deployments, incidents, dependencies, unattributed, baseline } = availability.burned;
  expect(unattributed).toBe(0);
  expect(deployments + incidents + dependencies).toBeGreaterThan(baseline);
  expect(payment.unattributedRatio).toBe(0);
  // The sources add up to the budget card's consumption.
  expect(deployments + incidents + dependencies + unattributed + baseline).toBeGreaterThanOrEqual(availability.consumedMinutes - 1e-6);

  // search-indexer runs at a fifth of its budget's pace and had no incident: nothing burned.
  const indexer = await ledgerOf(request, token, 'search-indexer');
  expect(indexer.slos[0].episodes).toEqual([]);
  expect(indexer.slos[0].burned).toMatchObject({ deployments: 0, incidents: 0, dependencies: 0, unattributed: 0 });
});

test('the CLI prints the ledger and the deploys’ impact from the running backend', async ({ request }) => {
  test.setTimeout(240_000);
  await ledgerOf(request, await guestToken(request), 'checkout-api');
  const cli = path.join(ROOT, 'packages', 'nthlayer-cli', 'bin', 'nthlayer');
  const env = { ...process.env, NTHLAYER_BACKEND_URL: BACKEND, NTHLAYER_TOKEN: CI_TOKEN };
  const ledger = spawnSync(process.execPath, [cli, 'ledger', 'checkout-api'], { cwd: ROOT, env, encoding: 'utf8' });
  expect(ledger.stderr).toBe('');
  expect(ledger.status).toBe(0);
  expect(ledger.stdout).toContain('component:default/checkout-api — budget ledger over 30d');
  expect(ledger.stdout).toMatch(/deployments +\d+\.\d min +\d+ % +deploy v4\.18\.0 \(0\.\d\d high\)/);
  const correlate = spawnSync(process.execPath, [cli, 'correlate', 'checkout-api', '--last', '7d', '--format', 'json'], { cwd: ROOT, env, encoding: 'utf8' });
  // A high-confidence burning deploy in the last 7 days: exit 2.
  expect(correlate.status).toBe(2);
  const versions = JSON.parse(correlate.stdout).deployments.map((d: any) => [d.deployment.version, d.impact]);
  expect(versions).toContainEqual(['v4.18.0', 'high']);
});

test('the Reliability tab shows checkout-api’s budget ledger, its episodes on the chart and the deploy’s impact', async ({ page, request }) => {
  test.setTimeout(240_000);
  const token = await guestToken(request);
  const ledger = await ledgerOf(request, token, 'checkout-api');
  const availability = ledger.slos.find((s: any) => s.sloName === 'availability');
  const bad = availability.episodes.find((e: any) => e.cause.label === 'deploy v4.18.0');
  expect(bad, 'the API’s episode of the bad deploy').toBeDefined();

  await page.goto('/catalog/default/component/checkout-api/nthlayer');
  const section = page.getByTestId('nthlayer-ledger');
  await expect(section).toBeVisible({ timeout: 60_000 });
  const slo = section.getByTestId('nthlayer-ledger-slo-availability');
  // The bar's legend: burned minutes by source, the API's numbers to one decimal.
  await expect(slo.getByTestId('nthlayer-ledger-source-deployments')).toContainText(`${availability.burned.deployments.toFixed(1)} min`);
  await expect(slo.getByTestId('nthlayer-ledger-source-baseline')).toContainText(`${availability.burned.baseline.toFixed(1)} min`);
  // One row per episode, the bad deploy's with its burn and high confidence.
  const rows = slo.getByTestId('nthlayer-ledger-episode');
  await expect(rows).toHaveCount(availability.episodes.length);
  const row = rows.filter({ has: page.getByTestId('nthlayer-ledger-episode-cause').getByText('deploy v4.18.0', { exact: true }) });
  await expect(row.getByTestId('nthlayer-ledger-episode-burned')).toHaveText(`${bad.burnedMinutes.toFixed(1)} min`);
  await expect(row.getByTestId('nthlayer-ledger-episode-confidence')).toHaveText(`${bad.cause.confidence.score.toFixed(2)} high`);
  // The episodes are shaded on the burn-down chart.
  await expect(page.getByTestId('nthlayer-section-availability').getByTestId('nthlayer-episode-area').first()).toBeAttached();

  // The impact dialog: the story's timeline, as the API tells it.
  await row.getByRole('button', { name: 'Impact' }).click();
  const dialog = page.getByTestId('nthlayer-impact-dialog');
  await expect(dialog).toBeVisible();
  const impact = await (
    await request.get(`${BACKEND}/api/nthlayer/v1/deployments/${bad.deployments[0].deployment.id}/impact`, { headers: { Authorization: `Bearer ${token}` } })
  ).json();
  const events = dialog.getByTestId('nthlayer-impact-event');
  await expect(events).toHaveCount(impact.timeline.length);
  for (const [k, event] of impact.timeline.entries()) await expect(events.nth(k)).toHaveAttribute('data-kind', event.kind);
  await expect(dialog.getByTestId('nthlayer-impact-level')).toContainText('high');

  if (process.env.NTHLAYER_LEDGER_SCREENSHOT) {
    await page.keyboard.press('Escape');
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: process.env.NTHLAYER_LEDGER_SCREENSHOT });
  }
});
