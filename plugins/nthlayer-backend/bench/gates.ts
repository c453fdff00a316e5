/*
 * Deploy gate benchmark: the real demo backend (packages/backend: catalog, auth, permissions,
 * NthLayer, the demo's gate policies) with N catalog entities and their stored budgets and
 * history, asked by C concurrent closed-loop callers:
 *
 *   - `POST /api/nthlayer/v1/gates/check` as CI, with the demo's static token
 *     (`nthlayer-demo-ci-token`, app-config.yaml backend.auth.externalAccess). Every check
 *     evaluates the policies and appends a row to nthlayer_gate_decisions.
 *   - `GET /api/nthlayer/v1/entities/component/default/<name>/gate` (the entity page's gate
 *     view) as the demo's guest user.
 *
 *   yarn bench:gates                         # 10,000 entities, 50 callers, 2,000 checks per route
 *   BENCH_ENTITIES=2000 yarn bench:gates     # or: yarn bench:gates --entities 2000
 *
 * Environment (or --flag value, same name in lower case without BENCH_, `_` → `-`):
 *   BENCH_ENTITIES         catalog entities with nthlayer.dev/tier          (default 10000)
 *   BENCH_HOT              entities the callers ask about, spread over the catalog (default 100)
 *   BENCH_CALLERS          concurrent callers, or a comma list measured in turn (default 50,5)
 *   BENCH_CHECKS           measured checks (requests) per route             (default 2000)
 *   BENCH_WARMUP_CHECKS    unmeasured checks per route before               (default 200)
 *   BENCH_RESULTS          markdown file to write (default bench/GATES-RESULTS.md; "-" = none)
 *   BENCH_PROFILE          a directory: write V8 CPU profiles of the backend there
 *
 * Seeding is api.ts's (bench/harness.ts) except the error ratio: each service has used a share
 * of its availability budget that cycles by index (CONSUMED below), so that the demo's tier-1
 * policy (block < 15 %, warn < 25 %) blocks, warns and allows. Tier 2 and 3 services match
 * other demo policies (dependency health; business hours, clock-dependent warn) and so get
 * no tier default. Every response must be 200 and carry a verdict (allow|warn|block); the
 * others count as errors (the first error body is printed). After the backend stopped, the
 * decision rows are counted: they should equal the warm-up + measured checks. Nothing is
 * asserted: it prints a table (ops/s, p50, p99, max per route, against a p99 < 50 ms target),
 * the verdict counts and the backend's peak RSS.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_TIERS } from '@nthlayer/backstage-plugin-common';
import { freePort } from '@internal/nthlayer-test-utils';
import knexFactory from 'knex';
import {
  benchTier,
  commitDescription,
  entityName,
  guestToken,
  hotIndexes as spreadHotIndexes,
  option,
  peakRssMiB,
  percentile,
  seed,
  startBackend,
  stopBackendAndWait,
  waitFor,
  waitForCatalog,
} from './harness';

const ENTITIES = Number(option('ENTITIES') ?? 10_000);
const HOT = Math.min(ENTITIES, Number(option('HOT') ?? 100));
const CALLER_COUNTS = (option('CALLERS') ?? '50,5').split(',').map(Number);
const CHECKS = Number(option('CHECKS') ?? 2000);
const WARMUP = Number(option('WARMUP_CHECKS') ?? 200);
const RESULTS = option('RESULTS') ?? resolve(__dirname, 'GATES-RESULTS.md');
const PROFILE = option('PROFILE');
const CI_TOKEN = 'nthlayer-demo-ci-token';
const TARGET_P99_MS = 50;

const hotIndexes = spreadHotIndexes(ENTITIES, HOT);

/**
 * Share of the 30-day availability budget used, by index % 7: 90, 60, 40, 22, 10, 3, -20 %
 * left (the latency SLO's budget is far larger, so availability is the worst SLO).
 */
const CONSUMED = [0.1, 0.4, 0.6, 0.78, 0.9, 0.97, 1.2];
const errorRatio = (i: number) =>
  ((100 - DEFAULT_TIERS[benchTier(i)].availabilityPercent) / 100) * CONSUMED[i % CONSUMED.length];

const VERDICTS = ['allow', 'warn', 'block'] as const;
type Verdict = (typeof VERDICTS)[number];

// ---- load ----------------------------------------------------------------------------------

interface Route {
  name: string;
  request: (entity: string, n: number) => { path: string; init: RequestInit };
  /** The verdict in a 200 body; undefined makes it an error. */
  verdict: (body: any) => unknown;
}

function routes(guest: string): Route[] {
  return [
    {
      name: 'POST /v1/gates/check (CI token)',
      request: (entity, n) => ({
        path: '/api/nthlayer/v1/gates/check',
        init: {
          method: 'POST',
          headers: { Authorization: `Bearer ${CI_TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            entityRef: `component:default/${entity}`,
            version: `v1.2.${n}`,
            environment: 'production',
            labels: [],
          }),
        },
      }),
      verdict: body => body?.verdict,
    },
    {
      name: 'GET …/entities/component/default/:name/gate (guest)',
      request: entity => ({
        path: `/api/nthlayer/v1/entities/component/default/${entity}/gate`,
        init: { headers: { Authorization: `Bearer ${guest}` } },
      }),
      verdict: body => body?.current?.verdict,
    },
  ];
}

/** Sequence number of the check, over warm-up and measured runs: the version `v1.2.<n>`. */
let sequence = 0;

async function load(base: string, route: Route, total: number, callers: number) {
  const latencies: number[] = [];
  const verdicts: Record<Verdict, number> = { allow: 0, warn: 0, block: 0 };
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const caller = async () => {
    while (next < total) {
      const k = next++;
      const entity = entityName(hotIndexes[k % hotIndexes.length]);
      const { path, init } = route.request(entity, sequence++);
      const started = performance.now();
      let problem: string | undefined;
      try {
        const res = await fetch(base + path, init);
        const text = await res.text();
        if (res.status !== 200) {
          problem = `HTTP ${res.status} for ${entity}: ${text.slice(0, 500)}`;
        } else {
          const verdict = route.verdict(JSON.parse(text));
          if (VERDICTS.includes(verdict as Verdict)) verdicts[verdict as Verdict]++;
          else problem = `no verdict allow|warn|block for ${entity}: ${text.slice(0, 500)}`;
        }
      } catch (error) {
        problem = `request for ${entity} failed: ${String(error)}`;
      }
      latencies.push(performance.now() - started);
      if (problem) {
        errors++;
        firstError ??= problem;
      }
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: callers }, caller));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    checks: latencies.length,
    opsPerSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors,
    firstError,
    verdicts,
    /** Share of one core the callers themselves used (they run on the same machine). */
    clientCpu: (used.user + used.system) / 1e6 / elapsed,
  };
}

/** Rows of nthlayer_gate_decisions by verdict, read-only from the SQLite file. */
async function countDecisions(dir: string) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'nthlayer.sqlite'), options: { readonly: true } } as any,
    useNullAsDefault: true,
  });
  try {
    const rows: Array<{ verdict: string; n: number }> = await knex('nthlayer_gate_decisions')
      .select('verdict')
      .count({ n: '*' })
      .groupBy('verdict');
    const byVerdict = Object.fromEntries(rows.map(r => [r.verdict, Number(r.n)]));
    return { total: rows.reduce((s, r) => s + Number(r.n), 0), byVerdict };
  } finally {
    await knex.destroy();
  }
}

// ---- main ----------------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString('en-US');
const verdictText = (v: Record<string, number>) => VERDICTS.map(k => `${k} ${fmt(v[k] ?? 0)}`).join(', ');

async function main() {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'nthlayer-bench-gates-'));
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const t0 = Date.now();
  const seeded = await seed(dir, new Date(), { entities: ENTITIES, hot: hotIndexes, errorRatio });
  const seedSeconds = (Date.now() - t0) / 1000;
  console.log(`seeded ${seeded.measurements} measurements, ${seeded.snapshots} snapshots in ${seedSeconds.toFixed(1)} s`);
  const t1 = Date.now();
  const backend = await startBackend(dir, port, { entities: ENTITIES, profile: PROFILE });
  let stopped = false;
  try {
    await waitFor('the backend', 300, async () => (await fetch(`${base}/api/nthlayer/health`)).ok);
    const startSeconds = (Date.now() - t1) / 1000;
    console.log(`backend up in ${startSeconds.toFixed(0)} s`);
    const token = await guestToken(base);
    const ingestSeconds = await waitForCatalog(base, token, ENTITIES);
    console.log(`catalog ingested ${ENTITIES} entities in ${ingestSeconds.toFixed(0)} s`);

    const rows = [];
    for (const callers of CALLER_COUNTS) for (const route of routes(token)) {
      const warm = await load(base, route, WARMUP, callers);
      if (warm.errors) console.log(`${route.name} warm-up: ${warm.errors} errors, first: ${warm.firstError}`);
      const r = await load(base, route, CHECKS, callers);
      rows.push({ route: route.name, callers, warmupErrors: warm.errors, ...r });
      console.log(
        `${route.name}, ${callers} callers: ${r.opsPerSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms max ${r.max.toFixed(1)} ms errors ${r.errors} (${verdictText(r.verdicts)}) client ${r.clientCpu.toFixed(2)} cores`,
      );
      if (r.firstError) console.log(`  first error: ${r.firstError}`);
    }
    const rss = peakRssMiB(backend.pid!);
    const commit = commitDescription();
    const stoppedCleanly = await stopBackendAndWait(backend, PROFILE ? 30 : 15);
    stopped = true;
    const decisions = await countDecisions(dir);
    const expectedDecisions = (WARMUP + CHECKS) * CALLER_COUNTS.length;
    const whole = (Date.now() - started) / 1000;

    const md = [
      '# Deploy gate benchmark',
      '',
      '`yarn bench:gates` (plugins/nthlayer-backend/bench/gates.ts). Not a timed test: numbers',
      'depend on the machine and on whatever else runs on it.',
      '',
      `- date: ${new Date().toISOString()}`,
      `- machine: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}), node ${process.version}`,
      `- code: ${commit}`,
      `- catalog: ${fmt(ENTITIES)} entities (backend up in ${startSeconds.toFixed(0)} s, catalog ingested in ${ingestSeconds.toFixed(0)} s more); stored: ${fmt(seeded.measurements)} measurements, ${fmt(seeded.snapshots)} snapshots (SQLite file, seeded in ${seedSeconds.toFixed(1)} s)`,
      `- budgets: availability budget used cycles by index over ${CONSUMED.map(c => `${Math.round(c * 100)} %`).join(', ')}; tiers 1/2/3 in turn; the demo's gate policies (policies/demo-policies.yaml)`,
      `- callers: ${CALLER_COUNTS.join(', then ')} closed-loop, each check on the next of ${HOT} entities spread over the catalog; ${fmt(WARMUP)} warm-up + ${fmt(CHECKS)} measured checks per route`,
      `- check: \`POST /api/nthlayer/v1/gates/check\` \`{ entityRef, version: 'v1.2.<n>', environment: 'production', labels: [] }\` with the demo's CI token; gate view: \`GET …/entities/component/default/<name>/gate\` signed in as guest`,
      `- peak RSS of the backend: ${rss.toFixed(0)} MiB${stoppedCleanly ? '' : ' (it did not stop on SIGINT: killed)'}`,
      `- whole benchmark: ${whole.toFixed(0)} s`,
      '',
      `| route | callers | checks | ops/s | p50 ms | p99 ms | max ms | errors | p99 < ${TARGET_P99_MS} ms |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      ...rows.map(
        r =>
          `| ${r.route} | ${r.callers} | ${fmt(r.checks)} | ${r.opsPerSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.errors} | ${r.p99 < TARGET_P99_MS ? 'pass' : 'miss'} |`,
      ),
      '',
      `Target p99 < ${TARGET_P99_MS} ms per route: informational, nothing is asserted. With C closed-loop callers a`,
      'server answering R requests/s keeps each waiting about C / R on average (Little\'s law): 50 callers',
      `within ${TARGET_P99_MS} ms at p99 need well over 1,000 answers/s from one Node process; the fewer-callers`,
      'rows show what one answer costs when requests do not queue.',
      '',
      '## Verdicts (measured checks)',
      '',
      ...rows.map(r => `- ${r.route}, ${r.callers} callers: ${verdictText(r.verdicts)}`),
      '',
      '## Checks',
      '',
      `- rows in nthlayer_gate_decisions after the run: ${fmt(decisions.total)} (${verdictText(decisions.byVerdict)}); expected warm-up + measured checks = ${fmt(expectedDecisions)}: ${decisions.total === expectedDecisions ? 'equal' : '**differs**'}`,
      ...rows.map(
        r =>
          `- ${r.route}, ${r.callers} callers: ${r.errors} errors measured, ${r.warmupErrors} in the warm-up${r.firstError ? `; first: \`${r.firstError.replace(/`/g, "'").replace(/\s+/g, ' ')}\`` : ''}; callers' CPU ${r.clientCpu.toFixed(2)} cores`,
      ),
      '',
    ].join('\n');
    console.log(`\n${md}`);
    if (RESULTS !== '-') writeFileSync(RESULTS, md);
  } finally {
    if (!stopped) await stopBackendAndWait(backend, PROFILE ? 30 : 15);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
