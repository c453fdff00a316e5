#!/usr/bin/env node
// Prints the error budgets the demo scenario should show, computed in closed form from
// model.mjs (not from Prometheus).
//
//   node scripts/demo/expected-budgets.mjs                       # at T0 (or now, if .demo exists)
//   node scripts/demo/expected-budgets.mjs --at now|t0|<epoch ms>|<ISO time>
//   node scripts/demo/expected-budgets.mjs --check http://127.0.0.1:9099 [--at ...]
//   node scripts/demo/expected-budgets.mjs --catalog             # compare with catalog-info/
//   node scripts/demo/expected-budgets.mjs --json                # also the burn episodes the ledger should find
//
// T0 comes from .demo/scenario.json (written by backfill.mjs); without it T0 = now.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO, expectedBudgets, expectedEpisodes, slosOf, validateScenario, METRIC, LATENCY_METRIC, INSTRUMENTATIONS } from './model.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SCENARIO_FILE = join(ROOT, '.demo', 'scenario.json');

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const flag = (name) => args.includes(name);

const scenario = existsSync(SCENARIO_FILE) ? JSON.parse(readFileSync(SCENARIO_FILE, 'utf8')) : null;
const t0Ms = scenario?.t0Ms ?? Math.floor(Date.now() / 1000) * 1000;
const checkUrl = opt('--check');

function parseAt(text) {
  if (text === undefined) return checkUrl ? Date.now() - 30_000 : scenario ? Date.now() : t0Ms;
  if (text === 'now') return Date.now();
  if (text === 't0') return t0Ms;
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`--at: cannot read "${text}"`);
  return ms;
}
// Whole seconds, so the Prometheus evaluation time and the model use the same instant.
const atMs = Math.floor(parseAt(opt('--at')) / 1000) * 1000;

const problems = validateScenario();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

const rows = expectedBudgets(atMs, t0Ms);

const fmtN = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fmtM = (n) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const fmtP = (r) => (Number.isFinite(r) ? `${(r * 100).toFixed(1)} %` : '-');
const fmtT = (t) => `${+(t * 100).toFixed(3)} %`;

function table(headers, data, right) {
  const widths = headers.map((h, i) => Math.max(h.length, ...data.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (right[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...data.map(line)].join('\n');
}

function sloLabel(r) {
  return r.slo === 'latency' ? `latency ${r.objective}` : 'availability';
}

if (flag('--json') && !checkUrl) {
  // episodes: the burn episodes of each availability SLO the ledger should find (model.mjs).
  console.log(JSON.stringify({ t0Ms, atMs, rows, episodes: expectedEpisodes(atMs, t0Ms) }, null, 2));
} else if (!checkUrl) {
  console.log(
    `Expected error budgets (closed-form model) at ${new Date(atMs).toISOString()}` +
      ` — T0 ${new Date(t0Ms).toISOString()} (${((atMs - t0Ms) / 60000).toFixed(1)} min after T0)\n`,
  );
  console.log(
    table(
      ['service', 'slo', 'target', 'window', 'good', 'total', 'budget min', 'consumed min', 'remaining min', 'remaining', 'status'],
      rows.map((r) => [
        r.service, sloLabel(r), fmtT(r.target), r.window, fmtN(r.good), fmtN(r.total),
        fmtM(r.budgetMin), fmtM(r.consumedMin), fmtM(r.remainingMin), fmtP(r.remainingRatio),
        r.status + (r.notes.length && r.slo === 'availability' ? ' *' : ''),
      ]),
      [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0],
    ),
  );
  const notes = rows.filter((r) => r.slo === 'availability' && r.notes.length);
  for (const r of notes) console.log(`* ${r.service}: ${r.notes.join('; ')}`);
  if (flag('--catalog') && !checkCatalog()) process.exitCode = 1;
} else {
  await check(checkUrl.replace(/\/+$/, ''));
}

// ---------------------------------------------------------------------------------------

function queries(r) {
  const w = `[${r.window}]`;
  const instrumentation = SCENARIO.find(s => s.name === r.service)?.instrumentation;
  if (instrumentation) {
    // One histogram per status (model.mjs INSTRUMENTATIONS): its _count counts requests.
    const kind = INSTRUMENTATIONS[instrumentation];
    const [label, value] = Object.entries(kind.serviceLabels({ name: r.service }))[0];
    const sel = `${label}="${value}"`;
    const statusLabel = instrumentation === 'otel-http' ? 'http_response_status_code' : 'status';
    if (r.slo === 'latency') {
      return {
        good: `sum(increase(${kind.family}_bucket{${sel},le="${r.le}"}${w}))`,
        total: `sum(increase(${kind.family}_count{${sel}}${w}))`,
      };
    }
    return {
      good: `sum(increase(${kind.family}_count{${sel},${statusLabel}!~"5.."}${w}))`,
      total: `sum(increase(${kind.family}_count{${sel}}${w}))`,
    };
  }
  const sel = `service="${r.service}"`;
  const custom = SCENARIO.find(s => s.name === r.service)?.customCounter;
  if (custom && r.slo !== 'latency') {
    const own = `app="${r.service}"`;
    return {
      good: `sum(increase(${custom.name}{${own},result="${custom.good}"}${w}))`,
      total: `sum(increase(${custom.name}{${own}}${w}))`,
    };
  }
  if (r.slo === 'latency') {
    return {
      good: `sum(increase(${LATENCY_METRIC}_bucket{${sel},le="${r.le}"}${w}))`,
      total: `sum(increase(${LATENCY_METRIC}_count{${sel}}${w}))`,
    };
  }
  const metric = METRIC[r.type];
  const bad = { api: 'status!~"5.."', worker: 'status!="failed"', stream: 'status!="error"' }[r.type];
  return {
    good: `sum(increase(${metric}{${sel},${bad}}${w}))`,
    total: `sum(increase(${metric}{${sel}}${w}))`,
  };
}

async function promQuery(base, expr) {
  const url = `${base}/api/v1/query?query=${encodeURIComponent(expr)}&time=${atMs / 1000}`;
  const res = await fetch(url);
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? res.status}`);
  const v = body.data.result[0]?.value?.[1];
  return v === undefined ? NaN : Number(v);
}

async function check(base) {
  const started = Date.now();
  const results = await Promise.all(
    rows.map(async (r) => {
      const q = queries(r);
      const [good, total] = await Promise.all([promQuery(base, q.good), promQuery(base, q.total)]);
      const e = 1 - good / total;
      return { r, good, total, remainingRatio: 1 - e / (1 - r.target) };
    }),
  );
  const rel = (a, b) => (b === 0 ? (a === 0 ? 0 : Infinity) : Math.abs(a - b) / Math.abs(b));
  let worst = 0;
  const data = results.map(({ r, good, total, remainingRatio }) => {
    const dGood = rel(good, r.good);
    const dTotal = rel(total, r.total);
    worst = Math.max(worst, Number.isFinite(dGood) ? dGood : Infinity, Number.isFinite(dTotal) ? dTotal : Infinity);
    return [
      r.service, sloLabel(r), r.window, fmtN(r.good), fmtN(good), `${(dGood * 100).toFixed(3)} %`,
      fmtN(r.total), fmtN(total), `${(dTotal * 100).toFixed(3)} %`,
      fmtP(r.remainingRatio), fmtP(remainingRatio),
    ];
  });
  console.log(
    `Model vs Prometheus (${base}) at ${new Date(atMs).toISOString()}` +
      ` — ${((atMs - t0Ms) / 60000).toFixed(1)} min after T0; ${rows.length * 2} queries in ${Date.now() - started} ms\n`,
  );
  console.log(
    table(
      ['service', 'slo', 'window', 'good (model)', 'good (prom)', 'diff', 'total (model)', 'total (prom)', 'diff', 'remaining (model)', 'remaining (prom)'],
      data,
      [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ),
  );
  const ok = worst < 0.005;
  console.log(`\nlargest relative difference: ${(worst * 100).toFixed(4)} % — ${ok ? 'OK (< 0.5 %)' : 'MISMATCH (>= 0.5 %)'}`);
  if (!ok) process.exitCode = 1;
}

/** Compares SCENARIO with catalog-info/components.yaml (a line-based read of that file). */
function checkCatalog() {
  const text = readFileSync(join(ROOT, 'catalog-info', 'components.yaml'), 'utf8');
  const entities = text.split(/^---$/m).map((doc) => {
    const get = (re) => re.exec(doc)?.[1];
    const ann = (key) => get(new RegExp(`^\\s+nthlayer\\.dev/${key}:\\s*"?([^"\\n]*)"?$`, 'm'));
    return {
      name: get(/^\s+name:\s*(\S+)$/m),
      team: get(/^\s+owner:\s*group:default\/(\S+)$/m),
      tier: ann('tier'), type: ann('type'),
      availability: ann('slo-availability'), latency: ann('slo-latency'), window: ann('slo-window'),
      openslo: ann('openslo'),
    };
  }).filter((e) => e.name && e.tier);
  // A service whose SLOs come from its OpenSLO document: the document's targets, window and
  // threshold are what the model's slo fields must say.
  for (const e of entities) {
    if (!e.openslo) continue;
    const doc = readFileSync(join(ROOT, 'catalog-info', 'openslo', e.openslo.split('/').pop()), 'utf8');
    const targets = [...doc.matchAll(/^\s+target: ([0-9.]+)$/gm)].map((m) => Number(m[1]) * 100);
    const threshold = Number(/^\s+value: ([0-9.]+)$/m.exec(doc)?.[1]) * 1000;
    e.availability = String(+targets[0].toFixed(6));
    e.latency = `p${+targets[1].toFixed(6)}<${threshold}ms`;
    e.window = /duration: (\S+)/.exec(doc)?.[1];
  }
  const errors = [];
  const byName = new Map(entities.map((e) => [e.name, e]));
  for (const svc of SCENARIO) {
    const e = byName.get(svc.name);
    if (!e) { errors.push(`${svc.name}: not in the catalog`); continue; }
    const want = {
      team: svc.team, tier: String(svc.tier), type: svc.type,
      availability: svc.slo?.availability, latency: svc.slo?.latency, window: svc.slo?.window,
    };
    for (const [k, v] of Object.entries(want)) if (e[k] !== v) errors.push(`${svc.name}: ${k} catalog=${e[k]} model=${v}`);
    byName.delete(svc.name);
  }
  for (const name of byName.keys()) errors.push(`${name}: in the catalog but not in the model`);
  console.log(errors.length ? `catalog vs model:\n  ${errors.join('\n  ')}` : `catalog vs model: ${SCENARIO.length} services agree`);
  return errors.length === 0;
}

export { slosOf };
