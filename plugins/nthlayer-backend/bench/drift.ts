/*
 * Drift benchmark: the drift task (DriftService.run) for N services against one real
 * Prometheus holding the rules NthLayer generates for all of them, stored in SQLite.
 *
 *   yarn bench:drift                       # 1,000 and 10,000 services
 *   BENCH_SIZES=1000 yarn bench:drift      # or: yarn bench:drift --sizes 1000
 *
 * Every 5th service depends on a PostgreSQL resource (technology alerts). The rules are
 * loaded unchanged, so a correct run finds no drift: the findings column says how many
 * were found anyway (rules Prometheus had not evaluated yet are counted apart). Prints a
 * table; asserts nothing timed. Each run also prints when the rules answer came back and the
 * CPU seconds of this process and of Prometheus.
 *
 *   BENCH_EVALUATION_INTERVAL   Prometheus's evaluation interval (default 10m, see below)
 *   BENCH_EVAL_WAIT_SECONDS     how long to wait for every rule's first evaluation (default 900)
 *   BENCH_COMPRESS_RULES=1      ask for the rules gzip-compressed (nthlayer.prometheus.compressRules)
 *   BENCH_NO_TREND=1            leave the budget trend (one thinned SQLite query per 250 services) out
 *
 * Needs `prometheus` and `promtool` (Debian's prometheus).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { startPrometheusWith } from '@internal/nthlayer-test-utils';
import { DEFAULT_TIERS } from '@nthlayer/backstage-plugin-common';
import knexFactory from 'knex';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createNthlayerDatabase } from '../src/database/NthlayerDatabase';
import { ArtifactService } from '../src/service/ArtifactService';
import { DriftService } from '../src/service/DriftService';
import { EntityReader } from '../src/service/EntityReader';
import { EntitySloService } from '../src/service/EntitySloService';
import { PrometheusClient } from '../src/service/PrometheusClient';
import { PrometheusRegistry } from '../src/service/PrometheusRegistry';
import { ServiceFileReader } from '../src/service/ServiceFileReader';
import { benchEntity, commitDescription, option } from './harness';

/**
 * How often the benchmark's Prometheus evaluates the rules. On these 2 cores, evaluating the
 * 277,328 rules of 10,000 services every 2 minutes (BENCH_EVALUATION_INTERVAL=2m) takes
 * Prometheus alone 1.86–1.95 of the 2 cores, and the drift run measures its overload; every 10
 * minutes it takes about a quarter of one, as a ruler on its own machine leaves the backend.
 */
const DEFAULT_EVALUATION_INTERVAL = '10m';
const int = (x: number) => x.toLocaleString('en-US');
const sizes = (option('SIZES') ?? '1000,10000').split(',').map(Number);
const model = { tiers: DEFAULT_TIERS, defaultTimeZone: 'UTC', prometheusInstances: ['default'] };
const DB_REF = 'resource:default/bench-db';
const db: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'bench-db', namespace: 'default', annotations: { 'nthlayer.dev/technology': 'postgresql' } },
  spec: { type: 'database', owner: 'group:default/team-0' },
};

function entities(n: number): Entity[] {
  return Array.from({ length: n }, (_, i) => {
    const e = benchEntity(i);
    if (i % 5 === 0) {
      e.spec = { ...e.spec, dependsOn: [DB_REF] };
      e.relations = [{ type: 'dependsOn', targetRef: DB_REF }];
    }
    return e;
  });
}

const quietLogger = {
  info: () => {},
  debug: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  child() {
    return quietLogger;
  },
} as unknown as LoggerService;

const peakRssMiB = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

/** The sum of a metric's samples on Prometheus's own /metrics (all label sets). */
async function metricSum(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** Prometheus's own CPU seconds so far. */
const cpuSeconds = (baseUrl: string) => metricSum(baseUrl, 'process_cpu_seconds_total');

async function run(n: number) {
  const managed = entities(n);
  const byRef = new Map([...managed, db].map(e => [stringifyEntityRef(e), e]));
  const catalog = {
    getEntityByRef: async (ref: string) => byRef.get(ref),
    getEntitiesByRefs: async (req: { entityRefs: string[] }) => ({ items: req.entityRefs.map(r => byRef.get(r) ?? null) }),
  } as unknown as CatalogService;
  const entityReader = new EntityReader({ catalog, ttlMs: 0 });
  const artifacts = new ArtifactService({
    entities: entityReader,
    serviceFiles: new ServiceFileReader({
      urlReader: { readUrl: async () => { throw new Error('none'); } } as unknown as UrlReaderService,
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    }),
    model,
  });
  const credentials = await mockServices.auth().getOwnServiceCredentials();

  // The rules of all services, 500 services per file, as a platform team would deploy them.
  let t = Date.now();
  const files: Record<string, string> = {};
  let rules = 0;
  for (let i = 0; i < n; i += 500) {
    const groups: unknown[] = [];
    for (const entity of managed.slice(i, i + 500)) {
      for (const a of (await artifacts.generateFor(entity, credentials)).artifacts) {
        if (a.kind !== 'prometheus-rules' && a.kind !== 'technology-alerts') continue;
        for (const group of (parse(a.content) as { groups: Array<{ rules: unknown[] }> }).groups) {
          rules += group.rules.length;
          groups.push(group);
        }
      }
    }
    files[`bench-${i}.rules.yaml`] = stringify({ groups }, { lineWidth: 0 });
  }
  const generateSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const now = Math.floor(Date.now() / 1000);
  const prometheus = await startPrometheusWith([], { from: now - 600, to: now - 300, stepSeconds: 60 }, {
    ruleFiles: files,
    evaluationInterval: option('EVALUATION_INTERVAL') ?? DEFAULT_EVALUATION_INTERVAL,
    waitForEvaluation: false,
    readyTimeoutMs: 600_000,
  });
  const dir = mkdtempSync(join(tmpdir(), 'nthlayer-bench-drift-'));
  try {
    // Wait until Prometheus has evaluated the rules once (a fresh load is "not evaluated" —
    // honest, but not what is measured), at most BENCH_EVAL_WAIT_SECONDS (default 900); rules
    // still not evaluated then are counted in their own column.
    const client = new PrometheusClient({ baseUrl: prometheus.baseUrl, timeoutMs: 300_000, retries: 0 });
    const waitUntil = Date.now() + Number(option('EVAL_WAIT_SECONDS') ?? 900) * 1000;
    for (;;) {
      const groups = (await client.ruleGroups()) as Array<{ rules: Array<{ lastEvaluation: string }> }>;
      const all = groups.flatMap(g => g.rules);
      if (all.length >= rules && all.every(r => !r.lastEvaluation.startsWith('0001'))) break;
      if (Date.now() > waitUntil) break;
      await new Promise(r => setTimeout(r, 30_000));
    }
    const loadSeconds = (Date.now() - t) / 1000;
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dir, 'drift.sqlite') }, useNullAsDefault: true });
    const store = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    // The rules read, timed from the outside: when it was asked for and when its groups were back.
    const marks: { asked?: number; answered?: number } = {};
    // As the backend asks (nthlayer.prometheus.compressRules, default false); BENCH_COMPRESS_RULES=1 asks for gzip.
    const ruler = new PrometheusClient({ baseUrl: prometheus.baseUrl, timeoutMs: 120_000, retries: 0, compressRules: option('COMPRESS_RULES') === '1' });
    const ruleGroups = ruler.ruleGroups.bind(ruler);
    ruler.ruleGroups = async type => {
      marks.asked ??= Date.now();
      const groups = await ruleGroups(type);
      marks.answered = Date.now();
      return groups;
    };
    const registry = new PrometheusRegistry([ruler]);
    const drift = new DriftService({
      readEntities: async () => managed,
      serviceCredentials: async () => credentials,
      artifacts,
      entities: entityReader,
      prometheus: registry,
      grafana: [],
      entitySlos: option('NO_TREND') ? { remainingPointsMany: async () => new Map() } : new EntitySloService({ catalog, db: store, model, minEventRate: 0.1 }),
      store: store.drift,
      logger: quietLogger,
      trendDays: 7,
    });
    // What Prometheus's rule evaluation alone takes of the cores the drift task shares with it.
    const idleFrom = await cpuSeconds(prometheus.baseUrl);
    await new Promise(r => setTimeout(r, 20_000));
    const evaluationCores = ((await cpuSeconds(prometheus.baseUrl)) - idleFrom) / 20;
    const results = [];
    for (const pass of ['first run', 'repeat']) {
      const prometheusCpu = await cpuSeconds(prometheus.baseUrl);
      delete marks.asked;
      const started = Date.now();
      const cpu = process.cpuUsage();
      const summary = await drift.run();
      const wall = (Date.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const phases = {
        asked: ((marks.asked ?? started) - started) / 1000,
        answered: ((marks.answered ?? started) - started) / 1000,
        cpu: (used.user + used.system) / 1e6,
        prometheusCpu: (await cpuSeconds(prometheus.baseUrl)) - prometheusCpu,
      };
      let findings = 0;
      let notEvaluated = 0;
      for (const e of managed) {
        const report = await store.drift.latest(stringifyEntityRef(e));
        for (const f of report?.findings ?? []) {
          if (f.kind === 'not-evaluated') notEvaluated++;
          else findings++;
        }
      }
      results.push({ pass, wall, summary, findings, notEvaluated, phases });
    }
    // Whether Prometheus keeps up with evaluating the rules: the iterations it had to skip.
    const evaluation = {
      iterations: await metricSum(prometheus.baseUrl, 'prometheus_rule_group_iterations_total'),
      missed: await metricSum(prometheus.baseUrl, 'prometheus_rule_group_iterations_missed_total'),
    };
    await knex.destroy();
    return { n, rules, generateSeconds, loadSeconds, evaluationCores, evaluation, results, rss: peakRssMiB() };
  } finally {
    await prometheus.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`drift benchmark — ${cpus().length} cores, ${commitDescription()}`);
  const rows: string[] = [];
  for (const n of sizes) {
    const r = await run(n);
    for (const p of r.results) {
      rows.push(
        `| ${int(r.n)} | ${int(r.rules)} | ${p.pass} | ${p.wall.toFixed(1)} | ${Object.values(p.summary.rulesRequests).reduce((a, b) => a + b, 0)} | ${int(p.summary.changed)} | ${int(p.findings)} | ${int(p.notEvaluated)} | ${p.summary.failed} | ${Math.round(r.rss)} |`,
      );
    }
    console.log(
      `${int(r.n)} services: Prometheus evaluating the rules (every ${option('EVALUATION_INTERVAL') ?? DEFAULT_EVALUATION_INTERVAL}) alone used ${r.evaluationCores.toFixed(2)} cores (20 s before the runs); ` +
        `${int(r.evaluation.missed)} of ${int(r.evaluation.iterations)} scheduled group iterations missed`,
    );
    for (const p of r.results) {
      console.log(
        `${int(r.n)} services, ${p.pass}: /api/v1/rules asked at ${p.phases.asked.toFixed(1)} s, its groups back at ${p.phases.answered.toFixed(1)} s, done at ${p.wall.toFixed(1)} s; this process used ${p.phases.cpu.toFixed(1)} s of CPU, Prometheus ${p.phases.prometheusCpu.toFixed(1)} s`,
      );
    }
    console.log(`${int(n)} services: ${int(r.rules)} rules generated in ${r.generateSeconds.toFixed(1)} s, loaded and evaluated by Prometheus in ${r.loadSeconds.toFixed(1)} s`);
  }
  console.log('\n| services | rules | pass | wall s | /api/v1/rules calls | reports changed | findings | not evaluated | failed | peak RSS MiB |');
  console.log('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
