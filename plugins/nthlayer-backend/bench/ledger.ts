/*
 * Ledger task benchmark: LedgerService.run (the `nthlayer-ledger` scheduler task) for N
 * services against a real Prometheus holding their history at a 5-minute step, SQLite store.
 *
 *   yarn bench:ledger                              # 1,000 and 10,000 services × 30 days
 *   BENCH_SIZES=1000x30,10000x3 yarn bench:ledger  # or: --sizes 1000x30
 *
 * Environment (or --flag value, same name in lower case without BENCH_):
 *   BENCH_SIZES    comma list of <services>x<days of history>       (default 1000x30,10000x30)
 *   BENCH_RESULTS  markdown file to write (default bench/LEDGER-RESULTS.md; "-" = none)
 *
 * Services are workers (one availability SLO, 99.5 %: two series each); every 10th burns at
 * 20× its budget's pace for an hour a day, so episodes are found and stored. Two runs per
 * size: the first (every bucket of the history, as on a new install), then one 5 minutes
 * later (what every scheduled run costs: the new bucket). Needs `prometheus` and `promtool`
 * (Debian's prometheus package) or PROMETHEUS_BIN / PROMTOOL. Not a test: it prints a table.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DEFAULT_TIERS } from '@nthlayer/backstage-plugin-common';
import knexFactory from 'knex';
import { createNthlayerDatabase } from '../src/database/NthlayerDatabase';
import { BudgetEngine } from '../src/service/BudgetEngine';
import { LedgerService } from '../src/service/LedgerService';
import { PrometheusClient } from '../src/service/PrometheusClient';
import { PrometheusRegistry } from '../src/service/PrometheusRegistry';
import { serviceEntity } from '../src/testing/fixtureEntities';
import { commitDescription, option, peakMb, resetPeak, startPrometheus } from './harness';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const SIZES = (option('SIZES') ?? '1000x30,10000x30').split(',').map(s => {
  const [services, days] = s.split('x').map(Number);
  return { services, days };
});
const RESULTS = option('RESULTS') ?? resolve(__dirname, 'LEDGER-RESULTS.md');
const STEP = 300;
/** Counters run at 10 events/s; a burning service's errors at 20 × 0.5 % for one hour a day. */
const RATE = 10;
const BASE_ERRORS = 0.001;
const BURST_ERRORS = 0.1;

/** Warnings go to stderr (a failed query shows), the rest is quiet. */
const logger: LoggerService = {
  error: (m: string) => console.error(`  [ledger] ${m}`),
  warn: (m: string) => console.error(`  [ledger] ${m}`),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

const name = (i: number) => `ledger-svc-${String(i).padStart(5, '0')}`;
const burning = (i: number) => i % 10 === 0;

/** Bad events of a service by time t (s) since start: the baseline plus one hour a day (hour i % 24). */
function badAt(i: number, t: number, start: number): number {
  const base = BASE_ERRORS * RATE * (t - start);
  if (!burning(i)) return base;
  const day = 86_400;
  const elapsed = t - start;
  const fullDays = Math.floor(elapsed / day);
  const offset = (i % 24) * 3600;
  const inDay = Math.min(Math.max(elapsed - fullDays * day - offset, 0), 3600);
  return base + (BURST_ERRORS - BASE_ERRORS) * RATE * (fullDays * 3600 + inDay);
}

function writeOpenMetrics(file: string, services: number, start: number, end: number): number {
  const fd = openSync(file, 'w');
  let samples = 0;
  writeSync(fd, '# TYPE jobs_processed counter\n');
  for (let i = 0; i < services; i++) {
    for (const status of ['succeeded', 'failed']) {
      const lines: string[] = [];
      for (let t = start; t <= end; t += STEP) {
        const bad = badAt(i, t, start);
        const value = status === 'failed' ? bad : RATE * (t - start) - bad;
        lines.push(`jobs_processed_total{service="${name(i)}",status="${status}"} ${value.toFixed(3)} ${t}\n`);
      }
      writeSync(fd, lines.join(''));
      samples += lines.length;
    }
  }
  writeSync(fd, '# EOF\n');
  closeSync(fd);
  return samples;
}

/** Records when each range query was open (sent until its answer was parsed). */
class TimedClient extends PrometheusClient {
  intervals: Array<[number, number]> = [];
  override async queryRange(...args: Parameters<PrometheusClient['queryRange']>) {
    const started = performance.now();
    try {
      return await super.queryRange(...args);
    } finally {
      this.intervals.push([started, performance.now()]);
    }
  }
}

/** Seconds during which at least one query was open (the union of the intervals). */
function busySeconds(intervals: Array<[number, number]>): number {
  let busy = 0;
  let reach = -Infinity;
  for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (to <= reach) continue;
    busy += to - Math.max(from, reach);
    reach = to;
  }
  return busy / 1000;
}

async function runSize(services: number, days: number) {
  const dir = mkdtempSync(join(tmpdir(), 'nthlayer-bench-ledger-'));
  try {
    // History on the 5-minute grid, ending 10 minutes ago: the first run reads it all, the
    // second (5 minutes later) one new bucket.
    const end = Math.floor(Date.now() / 1000 / STEP) * STEP - 600;
    const start = end - days * 86_400 - 3600;
    let t = performance.now();
    const om = join(dir, 'series.om');
    const samples = writeOpenMetrics(om, services, start, end);
    // One block per 31 days (as bench:budgets): promtool's default 2 h blocks take ten times longer.
    execFileSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=744h', om, join(dir, 'data')], { stdio: ['ignore', 'ignore', 'inherit'] });
    rmSync(om);
    console.error(`  ${services} × ${days} d: ${samples.toLocaleString('en-US')} samples in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const prom = await startPrometheus(dir, join(dir, 'data'));
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dir, 'ledger.sqlite') }, useNullAsDefault: true });
    try {
      const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
      const entities = Array.from({ length: services }, (_, i) =>
        serviceEntity(name(i), { 'nthlayer.dev/tier': '2', 'nthlayer.dev/type': 'worker', 'nthlayer.dev/slo-window': `${days}d` }),
      );
      const client = new TimedClient({ baseUrl: prom.baseUrl, timeoutMs: 300_000, retries: 0 });
      const prometheus = new PrometheusRegistry([client]);
      const engine = new BudgetEngine({ readEntities: async () => entities, prometheus, db, logger, model: { tiers: DEFAULT_TIERS } });
      let nowMs = (end - STEP + 60) * 1000;
      const ledger = new LedgerService({
        readEntities: async () => entities,
        defineServices: found => engine.definedWithStoredSources(found),
        prometheus,
        store: db.ledger,
        deployments: db.deployments,
        incidents: db.incidents,
        entitySlos: { getEntitySlos: async () => { throw new Error('not read by the task'); } },
        graph: async () => undefined,
        logger,
        lookbackDays: days,
        retentionDays: 90,
        recentHighImpactDays: 7,
        clock: () => new Date(nowMs),
      });
      const rows = [];
      for (const run of ['first (whole history)', 'next (5 minutes later)']) {
        const peakReset = resetPeak('self');
        client.intervals = [];
        t = performance.now();
        const summary = await ledger.run();
        const wall = (performance.now() - t) / 1000;
        const waiting = busySeconds(client.intervals);
        rows.push({ run, wall, waiting, peak: peakReset ? peakMb('self') : NaN, ...summary, episodes: await db.ledger.count() });
        console.error(`  ${run}: ${wall.toFixed(1)} s (${waiting.toFixed(1)} s with a query open), ${summary.queries} queries, ${summary.buckets} buckets, ${summary.episodes} episodes written, ${summary.checkpoints} checkpoints`);
        nowMs += STEP * 1000;
      }
      // One hour of burn a day on every 10th service: days × services / 10 episodes (the last
      // day's may still be going on or not have begun).
      return { services, days, samples, rows, expected: (days * services) / 10 };
    } finally {
      await knex.destroy();
      await prom.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const results = [];
  for (const { services, days } of SIZES) results.push(await runSize(services, days));
  const md = [
    '# Ledger task benchmark',
    '',
    '`yarn bench:ledger` (plugins/nthlayer-backend/bench/ledger.ts). Not a timed test.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}), node ${process.version}`,
    `- code: ${commitDescription()}`,
    '- services: workers, one availability SLO each (2 series), samples every 5 minutes; every 10th burns at 20× for an hour a day',
    '- store: SQLite file; Prometheus 2.42 on the same 2 cores; peak RSS is this process (VmHWM reset before each run)',
    '- checkpoints: times the read stored what it had read so far (at least once a minute), so that a stopped run is resumed from there',
    '- "s with a query open": wall time during which at least one range query was waiting for or parsing its answer (the next chunk is asked for while one is weighed, so the two overlap)',
    '',
    '| services | days | samples | run | wall s | s with a query open | queries | checkpoints | buckets read | episodes stored (expected ≈) | peak RSS MiB |',
    '|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.flatMap(r =>
      r.rows.map(
        row =>
          `| ${r.services.toLocaleString('en-US')} | ${r.days} | ${r.samples.toLocaleString('en-US')} | ${row.run} | ${row.wall.toFixed(1)} | ${row.waiting.toFixed(1)} | ${row.queries} | ${row.checkpoints} | ${row.buckets.toLocaleString('en-US')} | ${row.episodes.toLocaleString('en-US')} (${r.expected.toLocaleString('en-US')}) | ${row.peak.toFixed(0)} |`,
      ),
    ),
    '',
  ].join('\n');
  console.log(`\n${md}`);
  if (RESULTS !== '-') writeFileSync(RESULTS, md);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
