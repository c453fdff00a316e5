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
 *   BENCH_READERS          concurrent readers; a comma list measures each   (default 50)
 *   BENCH_SECONDS          measured seconds per route                       (default 15)
 *   BENCH_WARMUP_SECONDS   unmeasured seconds per route before              (default 3)
 *   BENCH_ROUTES           comma list of routes (default all, see ROUTES)
 *   BENCH_RESULTS          markdown file to write (default bench/API-RESULTS.md; "-" = none)
 *   BENCH_PROFILE          a directory: write V8 CPU profiles of the backend there
 *   BENCH_CLIENT           http (default): node:http, a kept-alive socket per reader, gzip
 *                          accepted and not inflated; fetch: Node's fetch, inflating every
 *                          answer (the earlier rounds' client, 0.5-0.9 of a core); a comma
 *                          list measures each
 *
 * Every entity has a measurement per SLO and a day of hourly history; the hot ones a 30-day
 * history at a 5-minute step (what 30 days of the default schedule would store). Every entity
 * has 30 days of ledger: three burn episodes per SLO, four deploys and an incident. Nothing is
 * asserted: it prints a table (req/s, p50, p99 per route, peak RSS of the backend).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@internal/nthlayer-test-utils';
import {
  commitDescription,
  entityName,
  guestToken,
  hotIndexes as spreadHotIndexes,
  option,
  peakRssMiB,
  percentile,
  seed,
  startBackend,
  stopBackend,
  waitFor,
  waitForCatalog,
} from './harness';

const ENTITIES = Number(option('ENTITIES') ?? 10_000);
const HOT = Math.min(ENTITIES, Number(option('HOT') ?? 100));
const READER_COUNTS = (option('READERS') ?? '50').split(',').map(Number);
const SECONDS = Number(option('SECONDS') ?? 15);
const WARMUP = Number(option('WARMUP_SECONDS') ?? 3);
const RESULTS = option('RESULTS') ?? resolve(__dirname, 'API-RESULTS.md');
const CLIENTS = (option('CLIENT') ?? 'http').split(',');
for (const c of CLIENTS) if (c !== 'http' && c !== 'fetch') throw new Error(`BENCH_CLIENT lists http or fetch, not ${c}`);

/** Hot entities are spread evenly over the catalog. */
const hotIndexes = spreadHotIndexes(ENTITIES, HOT);

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
    { name: 'GET …/ledger', paths: e => [`${entityPath(e)}/ledger`] },
    { name: 'SLO card (all its requests)', paths: pageRequests },
  ];
}

/** `get`: one GET, its body read to the end, resolving to the status; `close` frees sockets. */
interface Client {
  get(path: string): Promise<number>;
  close(): void;
}

/** Node's fetch: what a script would use; it inflates every gzipped answer on the readers' core. */
function fetchClient(base: string, token: string): Client {
  const headers = { Authorization: `Bearer ${token}` };
  return {
    async get(path) {
      const res = await fetch(base + path, { headers });
      await res.arrayBuffer();
      return res.status;
    },
    close() {},
  };
}

/**
 * node:http on one kept-alive socket per reader, asking for gzip as a browser does and reading
 * the compressed body without inflating it: the backend does the same work as for `fetch`, the
 * readers take less of the cores they share with it.
 */
function httpClient(base: string, token: string, readers: number): Client {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: readers });
  const headers = { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip' };
  return {
    get: path =>
      new Promise((done, fail) => {
        const req = request({ host: url.hostname, port: url.port, path, headers, agent }, res => {
          res.on('data', () => {});
          res.on('end', () => done(res.statusCode ?? 0));
          res.on('error', fail);
        });
        req.on('error', fail);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

async function load(base: string, token: string, route: Route, seconds: number, readers: number, kind: string) {
  const client = kind === 'http' ? httpClient(base, token, readers) : fetchClient(base, token);
  const latencies: number[] = [];
  let errors = 0;
  let requests = 0;
  const end = Date.now() + seconds * 1000;
  let next = 0;
  const reader = async () => {
    while (Date.now() < end) {
      const entity = entityName(hotIndexes[next++ % hotIndexes.length]);
      const started = performance.now();
      const results = await Promise.all(route.paths(entity).map(p => client.get(p))).catch(() => [0]);
      requests += results.length;
      if (results.some(s => s !== 200)) errors++;
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: readers }, reader));
  client.close();
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
  const seeded = await seed(dir, new Date(), { entities: ENTITIES, hot: hotIndexes });
  const seedSeconds = (Date.now() - t0) / 1000;
  console.log(`seeded ${seeded.measurements} measurements, ${seeded.snapshots} snapshots, ${seeded.episodes} burn episodes in ${seedSeconds.toFixed(1)} s`);
  const backend = await startBackend(dir, port, { entities: ENTITIES, profile: option('PROFILE') });
  try {
    await waitFor('the backend', 300, async () => (await fetch(`${base}/api/nthlayer/health`)).ok);
    const token = await guestToken(base);
    const ingestSeconds = await waitForCatalog(base, token, ENTITIES);
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
      for (const readers of READER_COUNTS) {
        for (const client of CLIENTS) {
          await load(base, token, route, WARMUP, readers, client);
          const r = await load(base, token, route, SECONDS, readers, client);
          rows.push({ route: route.name, requests: route.paths(entityName(0)).length, readers, client, ...r });
          console.log(`${route.name}, ${readers} readers (${client}): ${r.opsPerSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms errors ${r.errors} client ${r.clientCpu.toFixed(2)} cores`);
        }
      }
    }
    const rss = peakRssMiB(backend.pid!);
    const commit = commitDescription();
    const md = [
      '# REST API benchmark',
      '',
      '`yarn bench:api` (plugins/nthlayer-backend/bench/api.ts). Not a timed test.',
      '',
      `- date: ${new Date().toISOString()}`,
      `- machine: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}), node ${process.version}`,
      `- code: ${commit}`,
      `- catalog: ${ENTITIES} entities (ingested in ${ingestSeconds.toFixed(0)} s); stored: ${seeded.measurements} measurements, ${seeded.snapshots} snapshots, ${seeded.episodes} burn episodes (four deploys and an incident per entity; SQLite file)`,
      `- readers: ${READER_COUNTS.join(', ')} closed-loop, signed in as guest, each operation on the next of ${HOT} entities spread over the catalog; ${WARMUP} s warm-up, ${SECONDS} s measured per route`,
      '- client: http = node:http, a kept-alive socket per reader, gzip asked for and not inflated; fetch = Node\'s fetch, every answer inflated',
      `- peak RSS of the backend: ${rss.toFixed(0)} MiB`,
      '',
      '| route | requests per operation | readers | client | operations/s | p50 ms | p99 ms | errors | readers\' CPU (cores) |',
      '|---|---:|---:|---|---:|---:|---:|---:|---:|',
      ...rows.map(
        r => `| ${r.route} | ${r.requests} | ${r.readers} | ${r.client} | ${r.opsPerSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${r.clientCpu.toFixed(2)} |`,
      ),
      '',
    ].join('\n');
    console.log(`\n${md}`);
    if (RESULTS !== '-') writeFileSync(RESULTS, md);
  } finally {
    await stopBackend(backend, option('PROFILE') ? 8000 : 1000);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
