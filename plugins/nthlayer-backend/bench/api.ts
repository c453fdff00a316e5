/*
 * REST API benchmark: the real demo backend (packages/backend: catalog, auth, permissions,
 * NthLayer) with N catalog entities and their stored budgets and history, read by R
 * concurrent closed-loop readers signed in as the demo's guest user.
 *
 *   yarn bench:api                          # 10,000 entities, 50 readers
 *   BENCH_ENTITIES=2000 yarn bench:api      # or: yarn bench:api --entities 2000
 *
 * Environment (or --flag value, same name in lower case without BENCH_, `_` → `-`):
 *   BENCH_ENTITIES         catalog entities with nthlayer.dev/tier          (default 10000)
 *   BENCH_HOT              entities the readers open, spread over the catalog (default 100)
 *   BENCH_READERS          concurrent readers                               (default 50)
 *   BENCH_SECONDS          measured seconds per route                       (default 15)
 *   BENCH_WARMUP_SECONDS   unmeasured seconds per route before              (default 3)
 *   BENCH_ROUTES           comma list of routes (default all, see ROUTES)
 *   BENCH_RESULTS          markdown file to write (default bench/API-RESULTS.md; "-" = none)
 *   BENCH_PROFILE          a directory: write V8 CPU profiles of the backend there
 *
 * Every entity has a measurement per SLO and a day of hourly history; the hot ones a 30-day
 * history at a 5-minute step (what 30 days of the default schedule would store). Nothing is
 * asserted: it prints a table (req/s, p50, p99 per route, peak RSS of the backend).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_TIERS,
  parseNthlayerService,
  windowKey,
} from '@nthlayer/backstage-plugin-common';
import { freePort } from '@internal/nthlayer-test-utils';
import knexFactory from 'knex';
import { createNthlayerDatabase } from '../src/database/NthlayerDatabase';
import { Snapshot } from '../src/database/SnapshotStore';

function option(name: string): string | undefined {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
  const i = process.argv.indexOf(flag);
  if (i >= 0) return process.argv[i + 1];
  return process.env[`BENCH_${name}`];
}
const ENTITIES = Number(option('ENTITIES') ?? 10_000);
const HOT = Math.min(ENTITIES, Number(option('HOT') ?? 100));
const READERS = Number(option('READERS') ?? 50);
const SECONDS = Number(option('SECONDS') ?? 15);
const WARMUP = Number(option('WARMUP_SECONDS') ?? 3);
const RESULTS = option('RESULTS') ?? resolve(__dirname, 'API-RESULTS.md');
const REPO = resolve(__dirname, '../../..');

const model = { tiers: DEFAULT_TIERS, defaultTimeZone: 'UTC', prometheusInstances: ['default'] };

function entityName(i: number) {
  return `bench-svc-${String(i).padStart(5, '0')}`;
}

function benchEntity(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entityName(i),
      namespace: 'default',
      annotations: { 'nthlayer.dev/tier': String((i % 3) + 1), 'nthlayer.dev/type': 'api' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: `group:default/team-${i % 50}` },
  };
}

/** Hot entities are spread evenly over the catalog. */
const hotIndexes = Array.from({ length: HOT }, (_, k) => Math.floor((k * ENTITIES) / HOT));

// ---- seeding -------------------------------------------------------------------------------

async function seed(dir: string, now: Date) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'nthlayer.sqlite') },
    useNullAsDefault: true,
    // Seeding only: no fsync per batch.
    pool: { afterCreate: (conn: any, done: any) => done(null, conn.pragma('synchronous = OFF')) },
  });
  const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
  const hot = new Set(hotIndexes);
  let snapshots: Snapshot[] = [];
  const measurements = [];
  let stored = 0;
  const flush = async () => {
    await db.snapshots.append(snapshots);
    stored += snapshots.length;
    snapshots = [];
  };
  for (let i = 0; i < ENTITIES; i++) {
    const { service } = parseNthlayerService(benchEntity(i), model);
    const errorRatio = 0.0002 * (1 + (i % 7));
    for (const slo of service!.slos) {
      const window = windowKey(slo.window);
      const rate = 20 + (i % 13);
      const totalOver = (minutes: number) => Math.round(rate * 60 * minutes);
      const total = totalOver(slo.window.minutes);
      measurements.push({
        entityRef: service!.entityRef,
        sloName: slo.name,
        sloKind: slo.kind,
        window,
        windowMinutes: slo.window.minutes,
        thresholdMs: slo.latency?.thresholdMs ?? null,
        goodEvents: Math.round(total * (1 - errorRatio)),
        totalEvents: total,
        shortWindows: ['5m', '30m', '1h', '6h', '1d', '3d'].map(w => ({
          window: w,
          goodEvents: Math.round(totalOver(60) * (1 - errorRatio)),
          totalEvents: totalOver(60),
        })),
        measuredAt: now.toISOString(),
        stale: false,
        error: null,
      });
      const [points, stepMinutes] = hot.has(i) ? [30 * 288, 5] : [24, 60];
      for (let p = points - 1; p >= 0; p--) {
        const drift = 1 + (p % 97) / 500;
        snapshots.push({
          entityRef: service!.entityRef,
          sloName: slo.name,
          window,
          windowMinutes: slo.window.minutes,
          thresholdMs: slo.latency?.thresholdMs ?? null,
          time: new Date(now.getTime() - p * stepMinutes * 60_000),
          goodEvents: Math.round(total * (1 - errorRatio * drift)),
          totalEvents: total,
          source: 'refresh',
        });
      }
    }
    if (snapshots.length >= 20_000) await flush();
  }
  await flush();
  await db.measurements.upsert(measurements as any, now);
  await knex.destroy();
  return { measurements: measurements.length, snapshots: stored };
}

// ---- backend -------------------------------------------------------------------------------

async function startBackend(dir: string, port: number): Promise<ChildProcess> {
  writeFileSync(
    join(dir, 'catalog.yaml'),
    Array.from({ length: ENTITIES }, (_, i) => JSON.stringify(benchEntity(i))).join('\n---\n'),
  );
  writeFileSync(
    join(dir, 'app-config.bench.yaml'),
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { port },
        database: { client: 'better-sqlite3', connection: { directory: dir } },
      },
      catalog: {
        locations: [{ type: 'file', target: join(dir, 'catalog.yaml') }],
        processingInterval: { hours: 24 },
      },
      nthlayer: {
        // Nothing listens there: the bench reads what is stored, no refresh runs.
        prometheus: { baseUrl: 'http://127.0.0.1:9' },
        schedule: { frequency: { hours: 24 }, timeout: { minutes: 3 }, initialDelay: { hours: 24 } },
      },
    }),
  );
  const child = spawn(
    'yarn',
    [
      'start',
      '--config', join(REPO, 'app-config.yaml'),
      '--config', join(dir, 'app-config.bench.yaml'),
    ],
    {
      cwd: join(REPO, 'packages/backend'),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        // BENCH_PROFILE=dir writes a V8 CPU profile of the backend there on exit.
        ...(option('PROFILE') ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${option('PROFILE')}` } : {}),
      },
    },
  );
  const log: string[] = [];
  const keep = (d: Buffer) => {
    log.push(d.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('exit', code => {
    if (code) process.stderr.write(`backend exited with ${code}\n${log.join('')}`);
  });
  return child;
}

async function waitFor(what: string, seconds: number, probe: () => Promise<boolean>) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

/** Peak RSS (VmHWM) of the largest process in the tree below `pid`, in MiB. */
function peakRssMiB(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  let peak = 0;
  const walk = (p: number) => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // gone
    }
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return peak;
}

// ---- load ----------------------------------------------------------------------------------

interface Route {
  name: string;
  /** The requests of one operation, issued together; latency is the slowest. */
  paths: (entity: string) => string[];
}

const entityPath = (name: string) => `/api/nthlayer/v1/entities/component/default/${name}`;

function routes(pageRequests: (e: string) => string[]): Route[] {
  return [
    // Floors: what the backend costs before NthLayer does anything (no auth; auth only).
    { name: 'GET /health (no auth, floor)', paths: () => ['/api/nthlayer/health'] },
    { name: 'GET /v1/instances (auth only, floor)', paths: () => ['/api/nthlayer/v1/instances'] },
    { name: 'GET …/slos', paths: e => [`${entityPath(e)}/slos`] },
    { name: 'GET …/slos/availability/history', paths: e => [`${entityPath(e)}/slos/availability/history`] },
    { name: 'GET …/artifacts', paths: e => [`${entityPath(e)}/artifacts`] },
    { name: 'SLO card (all its requests)', paths: pageRequests },
  ];
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load(base: string, token: string, route: Route, seconds: number) {
  const headers = { Authorization: `Bearer ${token}` };
  const latencies: number[] = [];
  let errors = 0;
  let requests = 0;
  const end = Date.now() + seconds * 1000;
  let next = 0;
  const reader = async () => {
    while (Date.now() < end) {
      const entity = entityName(hotIndexes[next++ % hotIndexes.length]);
      const started = performance.now();
      const results = await Promise.all(
        route.paths(entity).map(async path => {
          const res = await fetch(base + path, { headers });
          await res.arrayBuffer();
          return res.status;
        }),
      ).catch(() => [0]);
      requests += results.length;
      if (results.some(s => s !== 200)) errors++;
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: READERS }, reader));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  /** Share of one core the readers themselves used (they run on the same machine). */
  const clientCpu = (used.user + used.system) / 1e6 / elapsed;
  latencies.sort((a, b) => a - b);
  return {
    operations: latencies.length,
    opsPerSecond: latencies.length / elapsed,
    requestsPerSecond: requests / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    clientCpu,
  };
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nthlayer-bench-api-'));
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const t0 = Date.now();
  const seeded = await seed(dir, new Date());
  const seedSeconds = (Date.now() - t0) / 1000;
  console.log(`seeded ${seeded.measurements} measurements, ${seeded.snapshots} snapshots in ${seedSeconds.toFixed(1)} s`);
  const backend = await startBackend(dir, port);
  try {
    await waitFor('the backend', 300, async () => (await fetch(`${base}/api/nthlayer/health`)).ok);
    const tokenRes = await fetch(`${base}/api/auth/guest/refresh?env=development`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const token = (await tokenRes.json()).backstageIdentity.token as string;
    const t1 = Date.now();
    await waitFor(`the catalog to ingest ${ENTITIES} entities`, 1800, async () => {
      const res = await fetch(
        `${base}/api/catalog/entities/by-query?filter=metadata.annotations.nthlayer.dev/tier&limit=1&fields=metadata.name`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      return (await res.json()).totalItems >= ENTITIES;
    });
    const ingestSeconds = (Date.now() - t1) / 1000;
    console.log(`catalog ingested ${ENTITIES} entities in ${ingestSeconds.toFixed(0)} s`);

    // What one SLO card costs: its report, plus a history request per sparkline unless the
    // report already carries the sparkline.
    const probe = await (
      await fetch(`${base}${entityPath(entityName(hotIndexes[0]))}/slos`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json();
    const embedded = probe.slos.every((s: any) => Array.isArray(s.sparkline?.points));
    const cardRequests = (e: string) =>
      embedded
        ? [`${entityPath(e)}/slos`]
        : [`${entityPath(e)}/slos`, ...probe.slos.map((s: any) => `${entityPath(e)}/slos/${s.name}/history`)];

    const wanted = option('ROUTES')?.split(',');
    const rows = [];
    for (const route of routes(cardRequests)) {
      if (wanted && !wanted.some(w => route.name.includes(w))) continue;
      await load(base, token, route, WARMUP);
      const r = await load(base, token, route, SECONDS);
      rows.push({ route: route.name, requests: route.paths(entityName(0)).length, ...r });
      console.log(`${route.name}: ${r.opsPerSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms errors ${r.errors} client ${r.clientCpu.toFixed(2)} cores`);
    }
    const rss = peakRssMiB(backend.pid!);
    const commit = (() => {
      try {
        const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
        return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : ''}`;
      } catch {
        return 'unknown';
      }
    })();
    const md = [
      '# REST API benchmark',
      '',
      '`yarn bench:api` (plugins/nthlayer-backend/bench/api.ts). Not a timed test.',
      '',
      `- date: ${new Date().toISOString()}`,
      `- machine: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}), node ${process.version}`,
      `- code: ${commit}`,
      `- catalog: ${ENTITIES} entities (ingested in ${ingestSeconds.toFixed(0)} s); stored: ${seeded.measurements} measurements, ${seeded.snapshots} snapshots (SQLite file)`,
      `- readers: ${READERS} closed-loop, signed in as guest, each operation on the next of ${HOT} entities spread over the catalog; ${WARMUP} s warm-up, ${SECONDS} s measured per route`,
      `- peak RSS of the backend: ${rss.toFixed(0)} MiB`,
      '',
      '| route | requests per operation | operations/s | p50 ms | p99 ms | errors | readers\' CPU (cores) |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        r => `| ${r.route} | ${r.requests} | ${r.opsPerSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${r.clientCpu.toFixed(2)} |`,
      ),
      '',
    ].join('\n');
    console.log(`\n${md}`);
    if (RESULTS !== '-') writeFileSync(RESULTS, md);
  } finally {
    try {
      process.kill(-backend.pid!, 'SIGINT');
    } catch {
      // gone
    }
    await new Promise(r => setTimeout(r, option('PROFILE') ? 8000 : 1000));
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
