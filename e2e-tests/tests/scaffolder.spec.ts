import { expect, test } from '@playwright/test';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';

test('a service created from the "Reliable service" template lands on its page with its SLO card and generated configs', async ({ page, request }) => {
  // Published folders outlive a demo restart (.demo/repositories), the catalog does not: a fresh name each run.
  const name = `e2e-svc-${Date.now().toString(36)}`;
  await page.goto('/');
  await page.getByRole('link', { name: /^Create/ }).first().click();
  await expect(page).toHaveURL(/\/create/);
  const card = page.locator('[data-testid="template-card-reliable-service"], article, .MuiCard-root').filter({ hasText: 'Reliable service' }).first();
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: /choose/i }).click();

  await page.getByLabel('Name').first().fill(name);
  const owner = page.getByLabel('Owner').first();
  await owner.click();
  await owner.fill('Payments');
  await page.getByRole('option', { name: /Payments|team-payments/ }).first().click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Dependencies: orders-db (a PostgreSQL Resource) brings technology alerts.
  const dependencies = page.getByLabel('Dependencies').first();
  await dependencies.click();
  await dependencies.fill('orders-db');
  await page.getByRole('option', { name: /orders-db/ }).first().click();
  await page.keyboard.press('Escape');
  await page.getByLabel(/Availability target/).first().fill('99.9');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // Every step runs, nthlayer:validate included, and the output links to the new entity.
  const open = page.getByRole('link', { name: 'Open the new service' });
  await expect(open).toBeVisible({ timeout: 90_000 });
  const token = (
    await (await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).json()
  ).backstageIdentity.token;
  const headers = { Authorization: `Bearer ${token}` };
  await open.click();
  await expect(page).toHaveURL(new RegExp(`/catalog/default/component/${name}`));
  // catalog:register returns once the location is added; the catalog processes the new entity
  // moments later (the page says "Entity not found" until then, as in any Backstage).
  await expect
    .poll(async () => (await request.get(`${BACKEND}/api/catalog/entities/by-name/component/default/${name}`, { headers })).status(), {
      timeout: 60_000,
      intervals: [1_000],
    })
    .toBe(200);
  await page.reload();
  await expect(page.getByText('NthLayer SLOs')).toBeVisible();
  await expect(page.getByTestId('nthlayer-slo-availability-remaining-percent').or(page.getByText(/availability/i).first())).toBeVisible();

  // The SLO card shows the declared 99.9 % target from the catalog entity the template registered.
  const slos = await (await request.get(`${BACKEND}/api/nthlayer/v1/entities/component/default/${name}/slos`, { headers })).json();
  expect(slos.service.slos.find((s: any) => s.kind === 'availability').targetPercent).toBe(99.9);

  // Generated configs tab: what the backend generates is what nthlayer:generate published.
  await page.getByText('Generated configs', { exact: true }).first().click();
  await expect(page).toHaveURL(/nthlayer-configs/);
  await expect(page.getByTestId('nthlayer-artifact-prometheus-slo-rules')).toBeVisible();
  const backendRules = await (
    await request.get(`${BACKEND}/api/nthlayer/v1/entities/component/default/${name}/artifacts/prometheus-slo-rules`, { headers })
  ).text();
  const published = await request.get(
    `${BACKEND}/api/demo-repositories/${name}/reliability/prometheus/${name}-slo.rules.yaml`,
  );
  expect(published.status()).toBe(200);
  expect(await published.text()).toBe(backendRules);
  const technology = await request.get(
    `${BACKEND}/api/demo-repositories/${name}/reliability/prometheus/${name}-technology.rules.yaml`,
  );
  expect(await technology.text()).toMatch(/PostgreSQL/);
});
