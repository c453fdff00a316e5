import { APIRequestContext, expect, test } from '@playwright/test';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
const SERVICE = 'checkout-api';
const CHECKOUT = `component:default/${SERVICE}`;
const COUPON = 'component:default/coupon-api';
const DEPENDENCIES_PATH = `/api/nthlayer/v1/entities/component/default/${SERVICE}/dependencies`;
/** What checkout-api declares in catalog-info/components.yaml. */
const DECLARED = [
  'component:default/payment-api',
  'component:default/auth-api',
  'component:default/catalog-api',
  'resource:default/orders-db',
  'resource:default/session-cache',
  'resource:default/events-bus',
];
const nameOf = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

async function guestHeaders(request: APIRequestContext) {
  const res = await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok()).toBeTruthy();
  return { Authorization: `Bearer ${(await res.json()).backstageIdentity.token}` };
}

test('the Dependencies tab of checkout-api shows its six declared dependencies and the discovered call to coupon-api', async ({ page, request }) => {
  test.setTimeout(300_000);
  const headers = await guestHeaders(request);

  // The catalog does not declare coupon-api: the edge can only come from the demo's traffic.
  const entity = await (
    await request.get(`${BACKEND}/api/catalog/entities/by-name/component/default/${SERVICE}`, { headers })
  ).json();
  const dependsOn: string[] = entity.spec.dependsOn;
  expect([...dependsOn].sort()).toEqual([...DECLARED].sort());
  expect(dependsOn).not.toContain(COUPON);

  // The graph is rebuilt on a schedule: wait until it has seen the exporter's calls.
  await expect
    .poll(
      async () => {
        const res = await request.get(`${BACKEND}${DEPENDENCIES_PATH}`, { headers });
        if (!res.ok()) return false;
        const body = await res.json();
        return body.edges.some((e: any) => e.from === CHECKOUT && e.to === COUPON && e.source === 'discovered');
      },
      { timeout: 240_000, intervals: [5_000] },
    )
    .toBe(true);

  const response = page.waitForResponse(
    r => new URL(r.url()).pathname === DEPENDENCIES_PATH && r.request().method() === 'GET',
  );
  await page.goto(`/catalog/default/component/${SERVICE}/nthlayer-dependencies`);
  const dependencies = await response;
  expect(dependencies.status(), `GET ${DEPENDENCIES_PATH}`).toBe(200);
  expect(new URL(dependencies.url()).searchParams.get('depth')).toBe('2');

  // The node table: the six declared dependencies, each with a status.
  const table = page.getByTestId('nthlayer-dependency-table');
  await expect(table).toBeVisible({ timeout: 30_000 });
  const row = (ref: string) => table.locator(`[data-testid="nthlayer-dependency-row"][data-entity-ref="${ref}"]`);
  await expect(row(CHECKOUT).getByTestId('nthlayer-dependency-relation')).toHaveText('this entity');
  for (const ref of DECLARED) {
    await expect(row(ref), ref).toBeVisible();
    await expect(row(ref).getByTestId('nthlayer-dependency-name')).toHaveText(nameOf(ref));
    await expect(row(ref)).toHaveAttribute('data-source', /^(declared|both)$/);
    await expect(row(ref).getByTestId('nthlayer-dependency-status')).toHaveText(/\S/);
    await expect(row(ref).getByTestId('nthlayer-dependency-relation')).toContainText(`${SERVICE} → ${nameOf(ref)}`);
  }

  // coupon-api, reached only through the discovered edge.
  const coupon = row(COUPON);
  await expect(coupon).toHaveAttribute('data-source', 'discovered');
  await expect(coupon.getByTestId('nthlayer-dependency-source')).toHaveText('discovered');
  await expect(coupon.getByTestId('nthlayer-dependency-path')).toHaveText(`${SERVICE} → coupon-api`);

  // In the graph: one discovered edge from checkout-api to coupon-api, dashed and labelled.
  const graph = page.getByTestId('nthlayer-dependency-graph');
  const fromCheckout = graph.locator(
    `[data-testid="nthlayer-dependency-edge"][data-from="${CHECKOUT}"][data-source="discovered"]`,
  );
  await expect(fromCheckout).toHaveCount(1);
  await expect(fromCheckout).toHaveAttribute('data-to', COUPON);
  await expect(fromCheckout.getByTestId('nthlayer-dependency-edge-label')).toHaveText('discovered');
  await expect(fromCheckout.getByTestId('nthlayer-dependency-edge-path')).toHaveAttribute('stroke-dasharray', '6 4');
  await expect(page.getByTestId('nthlayer-dependency-legend')).toBeVisible();
  // The undeclared call is also a finding.
  await expect(
    page.locator('[data-testid="nthlayer-dependency-finding"][data-type="undeclared-dependency"]').filter({ hasText: 'coupon-api' }),
  ).toHaveCount(1);

  // A click on a node opens its entity page.
  const paymentNode = graph.locator('[data-testid="nthlayer-dependency-node"][data-entity-ref="component:default/payment-api"]');
  await expect(paymentNode).toBeVisible();
  await paymentNode.click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/payment-api(\/|$)/);
});
