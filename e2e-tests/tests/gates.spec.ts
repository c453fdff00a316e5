import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
const ROOT = path.resolve(__dirname, '..', '..');
// The demo's CI token (app-config.yaml), restricted to the gate and deployment permissions.
const CI = { Authorization: 'Bearer nthlayer-demo-ci-token' };

/** The demo model's remaining availability budget of a service at a time. */
function modelRemaining(service: string, atMs: number): number {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'demo', 'expected-budgets.mjs'), '--json', '--at', String(atMs)],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(out).rows.find((r: any) => r.service === service && r.slo === 'availability').remainingRatio;
}

test('the deploy gate blocks the exhausted payment-api with the deciding rule and allows auth-api', async ({ request }) => {
  // Budgets are measured by the first refresh after start; wait until payment-api has one.
  await expect
    .poll(async () => {
      const res = await request.post(`${BACKEND}/api/nthlayer/v1/gates/check`, {
        headers: CI,
        data: { entityRef: 'component:default/payment-api', version: 'v2.4.0' },
      });
      expect(res.status()).toBe(200);
      return (await res.json()).budgetsAsOf;
    }, { timeout: 60_000 })
    .not.toBeNull();

  const res = await request.post(`${BACKEND}/api/nthlayer/v1/gates/check`, {
    headers: CI,
    data: { entityRef: 'component:default/payment-api', version: 'v2.4.0', environment: 'production' },
  });
  const payment = await res.json();
  expect(payment.verdict).toBe('block');
  expect(payment.exitCode).toBe(2);
  const deciding = payment.rules.find((r: any) => r.policy === 'tier1-budget-and-burn' && r.rule === 'budget-below-15');
  expect(deciding.result).toBe('true');
  // The value the rule read is the measured budget; the model says the same within 0.05.
  expect(Math.abs(deciding.values.budget.remaining - modelRemaining('payment-api', Date.parse(payment.budgetsAsOf)))).toBeLessThan(0.05);
  expect(payment.policies.map((p: any) => p.name)).toEqual(['tier1-budget-and-burn', 'dependency-health']);

  const auth = await (
    await request.post(`${BACKEND}/api/nthlayer/v1/gates/check`, {
      headers: CI,
      data: { entityRef: 'component:default/auth-api', version: 'v1.9.3' },
    })
  ).json();
  expect(auth.verdict, JSON.stringify(auth.reasons)).toBe('allow');

  // Both decisions are in payment-api's / auth-api's log with the CI caller.
  const token = (await (await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).json()).backstageIdentity.token;
  const gate = await (await request.get(`${BACKEND}/api/nthlayer/v1/entities/component/default/payment-api/gate`, { headers: { Authorization: `Bearer ${token}` } })).json();
  expect(gate.decisions[0]).toMatchObject({ version: 'v2.4.0', environment: 'production', principal: 'service:nthlayer-demo-ci' });
  expect(gate.policyErrors).toEqual([]);
});
