/*
 * Dependency graph, blast radius and portfolio benchmark: N services with E declared edges
 * (plus discovered ones), built and walked in this process, then GET /v1/portfolio through
 * the plugin (test backend, SQLite, a mock catalog of the N entities) under R concurrent
 * closed-loop readers.
 *
 *   yarn bench:graph                              # 10,000 services, 30,000 edges, 20 readers
 *   BENCH_SERVICES=2000 yarn bench:graph
 *
 * Environment (or --flag value): BENCH_SERVICES (10000), BENCH_EDGES (30000), BENCH_READERS
 * (20), BENCH_SECONDS (10), BENCH_RESULTS (bench/GRAPH-RESULTS.md; "-" = none).
 * Nothing is asserted: it prints a table (wall time, RSS, p50/p99).
 */
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  DependencyGraphEntity,
  DiscoveredEdge,
  PortfolioServiceInput,
  SloStatus,
  blastRadius,
  buildDependencyGraph,
  buildPortfolio,
  graphData,
} from '@nthlayer/backstage-plugin-common';
import knexFactory from 'knex';
import request from 'supertest';
import { createNthlayerDatabase } from '../src/database/NthlayerDatabase';
import { startNthlayerTestBackend } from '../src/__testUtils__/testBackend';
import { benchTier, commitDescription, entityName, option, percentile } from './harness';

const SERVICES = Number(option('SERVICES') ?? 10_000);
const EDGES = Number(option('EDGES') ?? 30_000);
const READERS = Number(option('READERS') ?? 20);
const SECONDS = Number(option('SECONDS') ?? 10);
const RESULTS = option('RESULTS') ?? resolve(__dirname, 'GRAPH-RESULTS.md');

const ref = (i: number) => `component:default/${entityName(i)}`;
const STATUSES: SloStatus[] = ['healthy', 'healthy', 'healthy', 'warning', 'critical', 'exhausted'];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Edges mostly towards lower indexes (a few hubs many depend on), some back edges (cycles). */
function dependencies(): string[][] {
  const rnd = random(42);
  const deps = Array.from({ length: SERVICES }, () => new Set<number>());
  let made = 0;
  while (made < EDGES) {
    const from = 1 + Math.floor(rnd() * (SERVICES - 1));
    const to = rnd() < 0.02 ? Math.floor(rnd() * SERVICES) : Math.floor(Math.pow(rnd(), 3) * from);
    if (to === from || deps[from].has(to)) continue;
    deps[from].add(to);
    made++;
  }
  return deps.map(set => [...set].map(ref));
}

function mib(bytes: number) {
  return Math.round(bytes / 1048576);
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

async function main() {
  const deps = dependencies();
  const entities: DependencyGraphEntity[] = deps.map((dependsOn, i) => ({
    entityRef: ref(i),
    kind: 'Component',
    name: entityName(i),
    managed: true,
    tier: benchTier(i),
    owner: `group:default/team-${i % 50}`,
    system: `system:default/system-${i % 20}`,
    dependsOn,
    status: STATUSES[i % STATUSES.length],
    minRemainingRatio: 1 - (i % 10) / 8,
    gateVerdict: 'allow',
    availabilityTargetPercent: [99.9, 99.5, 99][i % 3],
  }));
  const discovered: DiscoveredEdge[] = deps.flatMap((d, i) =>
    i % 10 === 0 ? d.slice(0, 2).map(to => ({ client: entityName(i), server: to.split('/')[1], requestRate: 1, requestsLookback: 1000 })) : [],
  );
  const rows: string[][] = [];
  const rssBefore = process.memoryUsage().rss;
  const build = timed(() => buildDependencyGraph({ entities, discovered }));
  const graph = build.value;
  rows.push(['graph build', `${build.ms.toFixed(0)} ms`, `${mib(process.memoryUsage().rss)} MiB (+${mib(process.memoryUsage().rss - rssBefore)})`, `${graph.edges.length} edges, ${graph.findings.length} findings`]);

  let hub = '';
  let most = -1;
  for (const [to, list] of graph.incoming) if (list.length > most) [hub, most] = [to, list.length];
  const blastTimes: number[] = [];
  let affected = 0;
  for (let k = 0; k < 50; k++) {
    const t = timed(() => blastRadius(graph, hub));
    blastTimes.push(t.ms);
    affected = t.value.affected;
  }
  blastTimes.sort((a, b) => a - b);
  rows.push(['blast radius of the most depended-on service', `p50 ${percentile(blastTimes, 50).toFixed(1)} ms, p99 ${percentile(blastTimes, 99).toFixed(1)} ms`, '', `${most} direct dependents, ${affected} affected`]);

  const services: PortfolioServiceInput[] = entities.map((e, i) => ({
    entityRef: e.entityRef,
    name: e.name,
    tier: e.tier!,
    owner: e.owner,
    system: e.system,
    gateVerdict: 'allow',
    driftCritical: i % 13 === 0 ? 1 : 0,
    scoreInput: {
      tier: e.tier!,
      slos: [{ name: 'availability', kind: 'availability', targetPercent: 99.9, sli: 99.95, status: e.status!, remainingRatio: e.minRemainingRatio, goodEvents: 999_500, totalEvents: 1_000_000 }],
      incidents: { count: i % 4, open: 0, resolved: i % 4, mttrMinutes: 45 },
      deployments: { succeeded: 10, failed: i % 3, rolledBack: i % 5 === 0 ? 1 : 0 },
      dependencies: (graph.outgoing.get(e.entityRef) ?? []).map(edge => ({ ref: edge.to, status: graph.nodes.get(edge.to)?.status ?? null })),
    },
  }));
  const portfolio = timed(() => JSON.stringify(buildPortfolio({ services, generatedAt: new Date().toISOString() })));
  rows.push(['portfolio JSON (build + serialise)', `${portfolio.ms.toFixed(0)} ms`, `${mib(process.memoryUsage().rss)} MiB`, `${(portfolio.value.length / 1048576).toFixed(1)} MiB of JSON`]);

  // Through the plugin: the stored snapshot, read by concurrent readers.
  const knex = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
  await db.reliability.saveSnapshot(new Date(), { graph: graphData(graph), services, errors: [] });
  const catalogEntities: Entity[] = entities.map((e, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: e.name, namespace: 'default', annotations: { 'nthlayer.dev/tier': String(benchTier(i)) } },
    spec: { type: 'service', lifecycle: 'production', owner: e.owner! },
  }));
  const server = await startNthlayerTestBackend({
    entities: catalogEntities,
    knex,
    config: { graph: { schedule: { frequency: { hours: 24 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } } } },
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/nthlayer/v1/portfolio`;
  const coldStart = Date.now();
  const first = await request(server).get('/api/nthlayer/v1/portfolio');
  const coldMs = Date.now() - coldStart;
  if (first.status !== 200 || first.body.services.length !== SERVICES) throw new Error(`portfolio answered ${first.status} with ${first.body.services?.length} services`);
  rows.push(['GET /v1/portfolio, first (builds and caches)', `${coldMs} ms`, `${mib(process.memoryUsage().rss)} MiB`, 'one reader']);
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (Date.now() < until) {
        const start = process.hrtime.bigint();
        // Read raw (gzipped, as a browser asks), neither inflated nor parsed: the readers share
        // this process, and its two cores, with the backend.
        const status = await new Promise<number>((done, fail) => {
          get(url, { headers: { 'Accept-Encoding': 'gzip' } }, res => {
            res.on('data', () => {});
            res.on('end', () => done(res.statusCode ?? 0));
            res.on('error', fail);
          }).on('error', fail);
        });
        if (status !== 200) throw new Error(`portfolio answered ${status}`);
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  rows.push([
    `GET /v1/portfolio, ${READERS} concurrent readers`,
    `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    `${mib(process.memoryUsage().rss)} MiB`,
    `${latencies.length} requests in ${SECONDS} s (${(latencies.length / SECONDS).toFixed(1)}/s)`,
  ]);

  const table = [
    `Graph benchmark: ${SERVICES} services, ${EDGES} declared edges (+${discovered.length} discovered), ${cpus().length} cores, commit ${commitDescription()}, ${new Date().toISOString()}`,
    '',
    '| step | time | RSS | notes |',
    '|---|---|---|---|',
    ...rows.map(r => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
  console.log(table);
  if (RESULTS !== '-') writeFileSync(RESULTS, `${table}\n`);
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
