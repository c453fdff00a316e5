#!/usr/bin/env node
// Reports the demo's deployments (scripts/demo/model.mjs) to the running backend with the
// demo's CI token (app-config.yaml, backend.auth.externalAccess), so the budget charts show
// them as markers. Idempotent: a deploy reported again is updated, not duplicated. Waits (up
// to 5 minutes) for the backend and the catalog to know the services.
//
//   node scripts/demo/record-deployments.mjs [--backend http://localhost:7007]
import { arg, scenarioT0Ms } from './args.mjs';
import { deploymentsOf } from './model.mjs';

const backend = arg('backend') ?? 'http://localhost:7007';
const token = process.env.NTHLAYER_DEMO_CI_TOKEN ?? 'nthlayer-demo-ci-token';
const t0Ms = scenarioT0Ms();

const deadline = Date.now() + 300_000;
for (const body of deploymentsOf(t0Ms)) {
  for (;;) {
    const res = await fetch(`${backend}/api/nthlayer/v1/deployments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(error => ({ ok: false, status: 0, text: async () => String(error.cause?.code ?? error) }));
    if (res.ok) break;
    const text = await res.text();
    // 404 until the catalog has ingested the service; anything else is a real problem.
    if (![0, 404, 503].includes(res.status) || Date.now() > deadline) {
      console.error(`demo: could not record ${body.entityRef} ${body.version}: ${res.status} ${text}`);
      process.exit(1);
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}
console.log(`demo: recorded ${deploymentsOf(t0Ms).length} deployments`);
