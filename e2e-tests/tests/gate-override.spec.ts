import { APIRequestContext, expect, test } from '@playwright/test';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
const API = `${BACKEND}/api/nthlayer/v1`;
// The demo's CI token (app-config.yaml), restricted to the gate and deployment permissions.
const CI = { Authorization: 'Bearer nthlayer-demo-ci-token' };

async function guestHeaders(request: APIRequestContext) {
  const res = await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  // The demo guest is user:default/guest, a member of team-payments only (catalog-info/users.yaml).
  expect(body.backstageIdentity.identity.ownershipEntityRefs).toEqual(
    expect.arrayContaining(['user:default/guest', 'group:default/team-payments']),
  );
  expect(body.backstageIdentity.identity.ownershipEntityRefs).not.toContain('group:default/team-platform');
  return { Authorization: `Bearer ${body.backstageIdentity.token}` };
}

async function check(request: APIRequestContext, entity: string, version: string) {
  const res = await request.post(`${API}/gates/check`, { headers: CI, data: { entityRef: `component:default/${entity}`, version } });
  expect(res.status()).toBe(200);
  return res.json();
}

/** Revokes whatever overrides a previous run left on the entity, so the test starts from the gate's own verdict. */
async function revokeAll(request: APIRequestContext, headers: Record<string, string>, entity: string) {
  const gate = await (await request.get(`${API}/entities/component/default/${entity}/gate`, { headers })).json();
  for (const o of gate.overrides ?? []) {
    expect((await request.delete(`${API}/gates/overrides/${o.id}`, { headers })).status()).toBe(200);
  }
}

test('the guest, an owner of checkout-api, overrides its gate from the card and the verdict changes; the override is audited', async ({ page, request }) => {
  const headers = await guestHeaders(request);
  await revokeAll(request, headers, 'checkout-api');
  // Wait for measured budgets (the first refresh after start), then read the gate's own verdict:
  // checkout-api's bad deploy three days ago left it below 25 % (warn) or, later, 15 % (block).
  await expect.poll(async () => (await check(request, 'checkout-api', 'v4.19.0')).budgetsAsOf, { timeout: 60_000 }).not.toBeNull();
  const before = await check(request, 'checkout-api', 'v4.19.0');
  expect(['warn', 'block']).toContain(before.verdict);

  await page.goto('/catalog/default/component/checkout-api');
  const verdict = page.getByTestId('nthlayer-gate-verdict');
  await expect(verdict).toHaveText(before.verdict);
  // The deciding rule is on the card with its name.
  const deciding = before.rules.find((r: any) => r.verdict === before.verdict);
  await expect(page.getByText(deciding.rule).first()).toBeVisible();

  await page.getByRole('button', { name: 'Override gate' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('e2e: INC-2042 fix must ship');
  await dialog.getByRole('button', { name: 'Create override' }).click();
  await expect(dialog).toBeHidden();
  await expect(verdict).toHaveText('allow');
  await expect(page.getByText('e2e: INC-2042 fix must ship').first()).toBeVisible();

  // A pipeline asking now is let through, and told why.
  const after = await check(request, 'checkout-api', 'v4.19.0');
  expect(after).toMatchObject({
    verdict: 'allow',
    exitCode: 0,
    override: { createdBy: 'user:default/guest', reason: 'e2e: INC-2042 fix must ship', verdictWithout: before.verdict },
  });

  const audit = await (await request.get(`${API}/entities/component/default/checkout-api/gate/audit`, { headers })).json();
  expect(audit.entries[0]).toMatchObject({ action: 'decision.overridden', principal: 'service:nthlayer-demo-ci', decisionId: after.id });
  expect(audit.entries[1]).toMatchObject({ action: 'override.created', principal: 'user:default/guest', overrideId: after.override.id });

  // Revoked from the card, the gate's own verdict is back.
  await page.getByRole('button', { name: 'Revoke' }).first().click();
  await expect(verdict).toHaveText(before.verdict);
  expect((await check(request, 'checkout-api', 'v4.19.0')).verdict).toBe(before.verdict);
});

test('the guest is refused an override on auth-api, which team-platform owns', async ({ page, request }) => {
  const headers = await guestHeaders(request);
  await page.goto('/catalog/default/component/auth-api');
  await expect(page.getByTestId('nthlayer-gate-verdict')).toBeVisible();
  await expect(page.getByText(/Only the owners of this entity can override its gate/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Override gate' })).toHaveCount(0);

  // The API refuses it too: the button's absence is not the only guard.
  const res = await request.post(`${API}/gates/overrides`, {
    headers,
    data: { entityRef: 'component:default/auth-api', reason: 'not my service at all', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.message).toContain('nthlayer.gate.override');
  const audit = await (await request.get(`${API}/entities/component/default/auth-api/gate/audit`, { headers })).json();
  expect(audit.entries).toEqual([]);
});

test('team-payments, the guest’s team, is notified of payment-api’s exhausted budget through the notifications backend', async ({ request }) => {
  const headers = await guestHeaders(request);
  await expect
    .poll(
      async () => {
        const res = await request.get(`${BACKEND}/api/notifications/notifications?limit=50`, { headers });
        expect(res.status()).toBe(200);
        const { notifications } = await res.json();
        return notifications.map((n: any) => n.payload.title);
      },
      { timeout: 60_000 },
    )
    .toContain('payment-api: availability error budget exhausted');
  const res = await request.get(`${BACKEND}/api/notifications/notifications?limit=50`, { headers });
  const exhausted = (await res.json()).notifications.find((n: any) => n.payload.title === 'payment-api: availability error budget exhausted');
  expect(exhausted.payload).toMatchObject({
    severity: 'critical',
    topic: 'nthlayer-budget',
    scope: 'nthlayer-budget:component:default/payment-api:availability',
    link: '/catalog/default/component/payment-api/nthlayer',
  });
  // auth-api (team-platform, healthy) notified nobody in team-payments.
  expect((await (await request.get(`${BACKEND}/api/notifications/notifications?limit=50`, { headers })).json()).notifications.some((n: any) => n.payload.title.startsWith('auth-api'))).toBe(false);
});
