import { APIRequestContext, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
const ROOT = path.resolve(__dirname, '..', '..');

async function guestHeaders(request: APIRequestContext) {
  const res = await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  expect(res.ok()).toBeTruthy();
  return { Authorization: `Bearer ${(await res.json()).backstageIdentity.token}` };
}

/** The demo model's remaining budget of an SLO at a time, computed without Prometheus or the plugin. */
function modelRemaining(service: string, slo: string, atMs: number): number {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'demo', 'expected-budgets.mjs'), '--json', '--at', String(atMs)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out).rows.find((r: any) => r.service === service && r.slo === slo).remainingRatio;
}

for (const [service, preset, metric, pinned, latencyPreset] of [
  ['search-api', 'otel-http', 'http_server_request_duration_seconds_count', false, 'otel-http'],
  ['catalog-api', 'micrometer', 'http_server_requests_seconds_count', true, 'micrometer'],
  // Its own counter through nthlayer.dev/sli-good + sli-total; latency from the convention's histogram.
  ['coupon-api', 'custom', 'coupon_redemptions_total{app="coupon-api"}', false, 'nthlayer'],
  // Both SLOs from its OpenSLO document (nthlayer.dev/openslo): its own counter, and the histogram.
  ['recommendations-api', 'custom', 'recommendation_requests_total{app="recommendations-api"}', false, 'custom'],
] as const) {
  test(`${service} is measured from its ${preset} metrics, with the budgets the model computes`, async ({ page, request }) => {
    const headers = await guestHeaders(request);
    const url = `${BACKEND}/api/nthlayer/v1/entities/component/default/${service}/slos`;
    let body: any;
    await expect
      .poll(async () => {
        body = await (await request.get(url, { headers })).json();
        return body.slos[0]?.measuredFrom?.preset;
      }, { timeout: 90_000 })
      .toBe(preset);
    const [availability, latency] = body.slos;
    expect(availability.measuredFrom).toMatchObject({ metric, found: true, pinned });
    expect(latency.measuredFrom).toMatchObject({ preset: latencyPreset, found: true });
    // No finding about missing metrics.
    expect(body.findings.filter((f: any) => f.annotation === 'nthlayer.dev/sli-preset')).toEqual([]);
    for (const slo of [availability, latency]) {
      expect(slo.errorBudget, `${service} ${slo.name} measured`).not.toBeNull();
      const expected = modelRemaining(service, slo.name, Date.parse(slo.updatedAt));
      expect(Math.abs(slo.errorBudget.remainingRatio - expected), `${slo.name}: ${slo.errorBudget.remainingRatio} vs model ${expected}`).toBeLessThan(0.02);
    }

    await page.goto(`/catalog/default/component/${service}`);
    await expect(page.getByTestId('nthlayer-slo-availability-source')).toContainText(metric);
  });
}

test('recommendations-api has the SLOs of its OpenSLO document instead of the tier defaults', async ({ page, request }) => {
  const headers = await guestHeaders(request);
  const body = await (await request.get(`${BACKEND}/api/nthlayer/v1/entities/component/default/recommendations-api/slos`, { headers })).json();
  // catalog-info/openslo/recommendations-api.yaml: 99.7 % over 7 d; 90 % within 1 s over 7 d.
  expect(body.slos.map((s: any) => [s.name, s.kind, s.targetPercent, s.window])).toEqual([
    ['availability', 'availability', 99.7, '7d'],
    ['latency', 'latency', 90, '7d'],
  ]);
  expect(body.slos[1].latency).toEqual({ percentile: 90, thresholdMs: 1000 });
  expect(body.findings).toEqual([]);

  // The generated rules are those of the document's SLOs.
  const rules = await request.get(
    `${BACKEND}/api/nthlayer/v1/entities/component/default/recommendations-api/artifacts/prometheus-slo-rules`,
    { headers },
  );
  expect(rules.ok()).toBeTruthy();
  expect(await rules.text()).toContain('recommendation_requests_total{app="recommendations-api",result="served"}');

  await page.goto('/catalog/default/component/recommendations-api');
  await expect(page.getByTestId('nthlayer-slo-availability-source')).toContainText('recommendation_requests_total');
});
