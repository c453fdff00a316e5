import { expect, test } from '@playwright/test';
import fs from 'node:fs/promises';
import JSZip from 'jszip';
import { parse, parseAllDocuments } from 'yaml';

const SERVICE = 'checkout-api';
const ARTIFACTS_PATH = `/api/nthlayer/v1/entities/component/default/${SERVICE}/artifacts`;

test('the Generated configs tab downloads a zip with the rules, OpenSLO, dashboard and PagerDuty config', async ({ page }) => {
  const listResponse = page.waitForResponse(
    r => r.url().endsWith(ARTIFACTS_PATH) && r.request().method() === 'GET',
  );
  await page.goto(`/catalog/default/component/${SERVICE}/nthlayer-configs`);
  const list = await listResponse;
  expect(list.status(), `GET ${ARTIFACTS_PATH}`).toBe(200);
  const { artifacts } = await list.json();
  expect(artifacts.map((a: any) => a.kind)).toEqual(
    expect.arrayContaining(['prometheus-rules', 'technology-alerts', 'openslo', 'grafana-dashboard', 'pagerduty']),
  );

  // Every artifact is listed with what it is for, and the first one is shown.
  for (const artifact of artifacts) {
    const item = page.getByTestId(`nthlayer-artifact-${artifact.id}`);
    await expect(item).toBeVisible();
    await expect(item).toContainText(artifact.description);
  }
  await expect(page.getByTestId('nthlayer-artifact-viewer')).toBeVisible();

  const button = page.getByTestId('nthlayer-artifacts-zip');
  await expect(button).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe(`${SERVICE}-nthlayer-configs.zip`);
  const zipPath = await download.path();
  const zip = await JSZip.loadAsync(await fs.readFile(zipPath));
  const names = Object.values(zip.files).filter(f => !f.dir).map(f => f.name);
  expect(names.sort()).toEqual(artifacts.map((a: any) => a.filename).sort());

  const byKind = (kind: string) => {
    const artifact = artifacts.find((a: any) => a.kind === kind);
    expect(artifact, `a ${kind} artifact`).toBeTruthy();
    return zip.file(artifact.filename)!.async('string');
  };

  // The SLO rule file: recording rules and the burn-rate alerts (DESIGN §3).
  const rules = parse(await byKind('prometheus-rules'));
  const ruleNames = rules.groups.flatMap((g: any) => g.rules.map((r: any) => r.record ?? r.alert));
  expect(ruleNames).toContain('NthlayerErrorBudgetBurn');
  expect(ruleNames.some((n: string) => n?.startsWith('nthlayer:slo_error:ratio_rate'))).toBe(true);

  // OpenSLO v1 documents with an SLO of the service.
  const openslo = parseAllDocuments(await byKind('openslo')).map(d => d.toJS());
  expect(openslo.some((d: any) => d.apiVersion === 'openslo/v1' && d.kind === 'SLO')).toBe(true);

  // The Grafana dashboard and the PagerDuty desired state are JSON.
  const dashboard = JSON.parse(await byKind('grafana-dashboard'));
  expect(dashboard).toBeTruthy();
  expect(JSON.stringify(dashboard)).toContain(SERVICE);
  const pagerduty = JSON.parse(await byKind('pagerduty'));
  expect(JSON.stringify(pagerduty)).toContain(SERVICE);
});

test('rule files show their checks: SLO rules clean on the demo Prometheus, missing exporters flagged', async ({ page }) => {
  const validation = page.waitForResponse(r => r.url().endsWith(`${ARTIFACTS_PATH}/validation`));
  await page.goto(`/catalog/default/component/${SERVICE}/nthlayer-configs`);
  const response = await validation;
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.prometheus).toMatchObject({ instance: 'default', status: 'checked' });

  // The SLO rules (shown first) select series the demo Prometheus has.
  await page.getByTestId('nthlayer-artifact-prometheus-slo-rules').click();
  const checks = page.getByTestId('nthlayer-artifact-checks');
  await expect(checks).toHaveAttribute('data-state', 'checked');
  await expect(checks).toContainText('Lint clean; series looked up on Prometheus "default"');

  // The technology alerts need exporters the demo does not run.
  await page.getByTestId('nthlayer-artifact-technology-alerts').click();
  await expect(checks).not.toHaveAttribute('data-errors', '0');
  await expect(page.getByTestId('nthlayer-artifact-check').first()).toContainText(/promql\/series .*no series named \w+/);
  // The file's content is still shown below its checks.
  await expect(page.getByTestId('nthlayer-artifact-download')).toBeEnabled();
  await expect(page.getByTestId('nthlayer-artifact-viewer')).toContainText('groups:');
  if (process.env.NTHLAYER_CONFIGS_SCREENSHOT) {
    await page.screenshot({ path: process.env.NTHLAYER_CONFIGS_SCREENSHOT, fullPage: false });
  }
});
