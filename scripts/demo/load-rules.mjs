#!/usr/bin/env node
// Loads the rules NthLayer generates for the demo services into the demo Prometheus, the way
// a platform team deploys them: each service's rule files (SLO recording rules, burn-rate
// alerts, technology alerts) are read from the running backend's artifacts API and written to
// .demo/rules/, then Prometheus reloads. So the rules really run, and the MWMBR alerts fire on
// the services that burn. Two deliberate drifts for the drift card (DRIFT below):
//   - payment-api: someone "quietened" its page alert by hand — the 1h/5m threshold doubled;
//   - legacy-billing: its rule files were never deployed.
// Waits (up to 5 minutes) for the backend and the catalog.
//
//   node scripts/demo/load-rules.mjs [--backend http://localhost:7007] [--prometheus http://127.0.0.1:9099]
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { arg, here } from './args.mjs';

const backend = arg('backend') ?? 'http://localhost:7007';
const prometheus = arg('prometheus') ?? `http://127.0.0.1:${process.env.NTHLAYER_PROMETHEUS_PORT ?? 9099}`;
const rulesDir = resolve(here, '../../.demo/rules');

/** The demo's deliberate drift. */
export const DRIFT = {
  /** The page alert (1h/5m) of this service's availability SLO, threshold doubled by hand. */
  editedThreshold: 'payment-api',
  /** This service's rule files are not loaded. */
  notLoaded: 'legacy-billing',
};

async function get(path, token, { text = false } = {}) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const res = await fetch(`${backend}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} }).catch(
      error => ({ ok: false, status: 0, text: async () => String(error.cause?.code ?? error) }),
    );
    if (res.ok) return text ? res.text() : res.json();
    const body = await res.text();
    if (![0, 404, 503].includes(res.status) || Date.now() > deadline) {
      throw new Error(`demo: GET ${path} answered ${res.status} ${body.slice(0, 300)}`);
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** Doubles the threshold of the availability SLO's page alert (long window 1h). */
function editThreshold(content) {
  const doc = parse(content);
  for (const group of doc.groups ?? []) {
    for (const rule of group.rules ?? []) {
      if (rule.alert === 'NthlayerErrorBudgetBurn' && rule.labels?.severity === 'page' && rule.labels?.long_window === '1h') {
        const [, threshold] = /> ([0-9.e+-]+)/.exec(rule.expr) ?? [];
        if (!threshold) continue;
        const doubled = String(Number((Number(threshold) * 2).toPrecision(12)));
        rule.expr = rule.expr.split(`> ${threshold}`).join(`> ${doubled}`);
        return { content: stringify(doc, { lineWidth: 0 }), from: threshold, to: doubled };
      }
    }
  }
  throw new Error('demo: no page alert found to edit');
}

const { backstageIdentity } = await (
  await fetch(`${backend}/api/auth/guest/refresh?env=development`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } })
).json();
const token = backstageIdentity.token;
// The first budget refresh resolves which metrics each service exports (OpenTelemetry,
// Micrometer, …): rules generated before it would query the wrong metric family.
for (const deadline = Date.now() + 300_000; ; ) {
  const health = await get('/api/nthlayer/v1/health', token);
  if (health.lastSuccessAt) break;
  if (Date.now() > deadline) throw new Error('demo: the first budget refresh did not finish within 5 minutes');
  await new Promise(r => setTimeout(r, 2000));
}
const { items } = await get(
  '/api/catalog/entities/by-query?filter=kind=component,metadata.annotations.nthlayer.dev/tier&limit=1000&fields=metadata.name,metadata.namespace',
  token,
);
mkdirSync(rulesDir, { recursive: true });
for (const file of readdirSync(rulesDir)) if (/\.rules\.ya?ml$/.test(file)) rmSync(resolve(rulesDir, file));
let files = 0;
for (const { metadata } of items) {
  if (metadata.name === DRIFT.notLoaded) continue;
  const base = `/api/nthlayer/v1/entities/component/${metadata.namespace ?? 'default'}/${metadata.name}/artifacts`;
  const { artifacts } = await get(base, token);
  for (const artifact of artifacts.filter(a => a.kind === 'prometheus-rules' || a.kind === 'technology-alerts')) {
    let content = await get(`${base}/${encodeURIComponent(artifact.id)}`, token, { text: true });
    if (metadata.name === DRIFT.editedThreshold && artifact.kind === 'prometheus-rules' && /availability/.test(content)) {
      const edit = editThreshold(content);
      content = edit.content;
      console.log(`demo: ${metadata.name}: page alert threshold edited by hand, ${edit.from} → ${edit.to}`);
    }
    writeFileSync(resolve(rulesDir, basename(artifact.filename)), content);
    files++;
  }
}
const reload = await fetch(`${prometheus}/-/reload`, { method: 'POST' });
if (!reload.ok) throw new Error(`demo: Prometheus reload failed: ${reload.status} ${await reload.text()}`);
console.log(`demo: loaded ${files} generated rule files into Prometheus (not ${DRIFT.notLoaded}'s)`);
