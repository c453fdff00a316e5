/*
 * Budget refresh benchmark: the batched BudgetEngine against a naive one-query-pair-per-SLO
 * loop, on a real Prometheus loaded with synthetic history for N services.
 *
 *   yarn bench:budgets                      # 1,000 and 10,000 services
 *   BENCH_SIZES=1000 yarn bench:budgets     # or: yarn bench:budgets --sizes 1000,5000
 *
 * Environment (or --flag value, same name in lower case without BENCH_, `_` → `-`):
 *   BENCH_SIZES            comma list of service counts            (default 1000,10000)
 *   BENCH_STEP_MINUTES     step of the 31-day synthetic history    (default 60)
 *   BENCH_FINE_TAIL_MINUTES last minutes sampled every 60 s        (default 120)
 *   BENCH_MODES            longWindows modes to run: rollup,raw    (default both)
 *   BENCH_NAIVE            naive loop at sizes <= this many services (default: every size)
 *   BENCH_NAIVE_ROLLUP     naive loop in rollup mode too at sizes <= this (default 1000)
 *   BENCH_NAIVE_CAP_SECONDS stop a naive run after this long and extrapolate (default 300)
 *   BENCH_REPEAT           how many times to run the measurements per size (default 1)
 *   BENCH_RESULTS          where to write the markdown (default bench/RESULTS.md, in mix mode
 *                          bench/BUDGETS-MIX-RESULTS.md; "-" = none)
 *   BENCH_MIX              instrumentation mix "OTEL,MICROMETER[,CUSTOM]" in percent of the
 *                          services, e.g. 30,20: 30 % OpenTelemetry HTTP, 20 % Micrometer, the
 *                          rest this project's convention; 30,20,10: also 10 % with custom SLIs
 *                          (nthlayer.dev/sli-good + sli-total on a bench_orders_total counter),
 *                          half of them each on its own selector (`app="<service>"`), half in
 *                          groups of BENCH_CUSTOM_GROUP services sharing one tenant-wide selector
 *                          (`app="shared-<k>"`, the same query text); their latency stays on the
 *                          convention histogram. Measured through the SliResolver, no naive loop
 *                          (default off: every service in the convention, as before)
 *   BENCH_CUSTOM_GROUP     services per shared custom selector             (default 10)
 *
 * Needs `prometheus` and `promtool` on PATH (Debian's prometheus package), or
 * PROMETHEUS_BIN / PROMTOOL. Not a test: it prints a table and asserts nothing timed.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { freePort } from '@internal/nthlayer-test-utils';
import knexFactory, { Knex } from 'knex';
import { createNthlayerDatabase } from '../src/database/NthlayerDatabase';
import { BudgetEngine, RefreshSummary } from '../src/service/BudgetEngine';
import {
  MatrixSeries,
  PrometheusClient,
  PrometheusQueryError,
  VectorSample,
} from '../src/service/PrometheusClient';
import { PrometheusRegistry } from '../src/service/PrometheusRegistry';
import { readNthlayerConfig } from '../src/service/config';
import { serviceEntity } from '../src/testing/fixtureEntities';
import { SliResolver } from '../src/service/SliResolver';
import { QueryBatch, planQueryBatches } from '../src/service/queryPlan';
import {
  NthlayerService,
  SliResolution,
  computeErrorBudget,
  parseNthlayerService,
} from '@nthlayer/backstage-plugin-common';
import { Prometheus, peakMb, resetPeak, startPrometheus } from './harness';

// ---- options -------------------------------------------------------------------------------

const int = (x: number) => x.toLocaleString('en-US');

function option(name: string): string | undefined {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
  const i = process.argv.indexOf(flag);
  if (i >= 0) return process.argv[i + 1];
  return process.env[`BENCH_${name}`];
}

const SIZES = (option('SIZES') ?? '1000,10000').split(',').map(s => Number(s.trim()));
const STEP_MINUTES = Number(option('STEP_MINUTES') ?? 60);
const FINE_TAIL_MINUTES = Number(option('FINE_TAIL_MINUTES') ?? 120);
const MODES = (option('MODES') ?? 'rollup,raw').split(',').map(s => s.trim()) as Array<
  'rollup' | 'raw'
>;
const NAIVE_MAX = Number(option('NAIVE') ?? Infinity);
const NAIVE_ROLLUP_MAX = Number(option('NAIVE_ROLLUP') ?? 1000);
const NAIVE_CAP_MS = Number(option('NAIVE_CAP_SECONDS') ?? 300) * 1000;
const REPEAT = Number(option('REPEAT') ?? 1);
/** Services per shared custom selector (BENCH_CUSTOM_GROUP). */
const CUSTOM_GROUP = Number(option('CUSTOM_GROUP') ?? 10);

/** Percent of services per instrumentation family (BENCH_MIX), or undefined: all convention. */
const MIX = parseMix(option('MIX'));
const RESULTS =
  option('RESULTS') ?? resolve(__dirname, MIX ? 'BUDGETS-MIX-RESULTS.md' : 'RESULTS.md');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

function parseMix(text: string | undefined): { otel: number; micrometer: number; custom: number } | undefined {
  if (!text || text === '0' || text === 'off') return undefined;
  const parts = text.split(',').map(x => Number(x.trim()));
  const [otel, micrometer = 0, custom = 0] = parts;
  if (parts.length > 3 || !(otel >= 0 && micrometer >= 0 && custom >= 0 && otel + micrometer + custom <= 100)) {
    throw new Error(`BENCH_MIX: expected "OTEL,MICROMETER[,CUSTOM]" percentages summing to <= 100, got "${text}"`);
  }
  if (custom > 0 && !(Number.isInteger(CUSTOM_GROUP) && CUSTOM_GROUP >= 1)) {
    throw new Error(`BENCH_CUSTOM_GROUP: expected a whole number >= 1, got "${option('CUSTOM_GROUP')}"`);
  }
  return { otel, micrometer, custom };
}

const DAY_S = 86_400;
const HISTORY_S = 31 * DAY_S;
/** promtool parses the input once per block; 744 h (31 d) is Prometheus's largest block. */
const MAX_BLOCK_DURATION = '744h';
/** Tier latency objectives (DEFAULT_TIERS): threshold bucket `le` per tier. */
const TIER_LE: Record<number, string> = { 1: '0.5', 2: '1', 3: '2' };

// The engine is evaluated at END (cold) and a minute later (warm). END is a whole hour at
// least an hour after UTC midnight, so the long-window reader is in its usual regime.
const NOW_S = Math.floor(Date.now() / 1000);
let END = Math.floor(NOW_S / 3600) * 3600 - 3600;
if (END % DAY_S < 3600) END -= 2 * 3600;
const START = END - HISTORY_S;

// ---- synthetic data ------------------------------------------------------------------------

type Family = 'nthlayer' | 'otel-http' | 'micrometer' | 'custom-unique' | 'custom-shared';
const FAMILIES: Family[] = ['nthlayer', 'otel-http', 'micrometer', 'custom-unique', 'custom-shared'];
/**
 * Series written per service, by family (see writeOpenMetrics). Custom services have the
 * convention latency histogram (3 series); a unique one also its own bench_orders_total
 * ok/error pair, a shared one none (its group's pair is counted once per group).
 */
const SERIES_PER_SERVICE: Record<Family, number> = {
  nthlayer: 5,
  'otel-http': 6,
  micrometer: 6,
  'custom-unique': 5,
  'custom-shared': 3,
};
const isCustom = (f: Family) => f === 'custom-unique' || f === 'custom-shared';

/** The counter custom SLIs are declared on: bench_orders_total{app, result="ok"|"error"}. */
const CUSTOM_METRIC = 'bench_orders_total';

interface ServiceShape {
  name: string;
  /** The metric family its series are written in (always 'nthlayer' without BENCH_MIX). */
  family: Family;
  tier: 1 | 2 | 3;
  /** Requests per second. */
  rate: number;
  /** Fraction of requests answered 5xx. */
  errorRatio: number;
  /** Fraction of requests under the tier's latency threshold. */
  fastRatio: number;
  /**
   * What its availability SLI is measured from: its own rate and error share, except for a
   * shared custom service, whose SLI is its group's tenant-wide counter (`group`).
   */
  availability: { rate: number; errorRatio: number };
  /** custom-*: the `app` label of the bench_orders_total series its annotations select. */
  app?: string;
}

/** The app label of shared custom group k. */
const groupName = (k: number) => `shared-${String(k).padStart(4, '0')}`;

/** A shared custom selector's series: `app` = name, rate and error share of the whole group. */
interface CustomGroup {
  name: string;
  rate: number;
  errorRatio: number;
  members: number;
}

const ERROR_RATIOS = [0.0002, 0.001, 0.004, 0.02];

function shapes(n: number): ServiceShape[] {
  const fastRatios = [0.999, 0.99, 0.97, 0.9];
  // Service i's slot (37·i mod 100) spreads each family over every tier, rate and ratio.
  // Custom slots: the first half (rounded up) unique selectors, the rest shared ones.
  const familyOf = (i: number): Family => {
    if (!MIX) return 'nthlayer';
    const slot = (37 * i) % 100;
    if (slot < MIX.otel) return 'otel-http';
    if (slot < MIX.otel + MIX.micrometer) return 'micrometer';
    if (slot < MIX.otel + MIX.micrometer + Math.ceil(MIX.custom / 2)) return 'custom-unique';
    if (slot < MIX.otel + MIX.micrometer + MIX.custom) return 'custom-shared';
    return 'nthlayer';
  };
  const list: ServiceShape[] = Array.from({ length: n }, (_, i) => {
    const name = `svc-${String(i).padStart(5, '0')}`;
    const family = familyOf(i);
    const rate = 1 + (i % 20);
    const errorRatio = ERROR_RATIOS[i % 4];
    return {
      name,
      family,
      tier: ((i % 3) + 1) as 1 | 2 | 3,
      rate,
      errorRatio,
      fastRatio: fastRatios[Math.floor(i / 4) % 4],
      availability: { rate, errorRatio },
      ...(family === 'custom-unique' ? { app: name } : {}),
    };
  });
  // Shared services in order, CUSTOM_GROUP per group; each group's counter carries the
  // whole group's traffic (the sum of its members' rates) at its own error share.
  const shared = list.filter(s => s.family === 'custom-shared');
  for (let k = 0; k * CUSTOM_GROUP < shared.length; k++) {
    const members = shared.slice(k * CUSTOM_GROUP, (k + 1) * CUSTOM_GROUP);
    const group = { rate: members.reduce((sum, s) => sum + s.rate, 0), errorRatio: ERROR_RATIOS[k % 4] };
    for (const s of members) {
      s.app = groupName(k);
      s.availability = group;
    }
  }
  return list;
}


/** The shared custom selectors of `services` (one per group), in order. */
function customGroups(services: ServiceShape[]): CustomGroup[] {
  const groups = new Map<string, CustomGroup>();
  for (const s of services) {
    if (s.family !== 'custom-shared') continue;
    const g = groups.get(s.app!) ?? { name: s.app!, ...s.availability, members: 0 };
    g.members++;
    groups.set(s.app!, g);
  }
  return [...groups.values()];
}

/** Entity annotations of a service: its tier, and for custom ones the SLI queries. */
function annotationsOf(s: ServiceShape): Record<string, string> {
  const annotations: Record<string, string> = { 'nthlayer.dev/tier': String(s.tier) };
  if (isCustom(s.family)) {
    annotations['nthlayer.dev/sli-good'] = `${CUSTOM_METRIC}{app="${s.app}",result="ok"}`;
    annotations['nthlayer.dev/sli-total'] = `${CUSTOM_METRIC}{app="${s.app}"}`;
  }
  return annotations;
}

function sampleTimes(): number[] {
  const times: number[] = [];
  const fineFrom = END - FINE_TAIL_MINUTES * 60;
  for (let t = START; t < fineFrom; t += STEP_MINUTES * 60) times.push(t);
  for (let t = Math.max(fineFrom, START); t <= END; t += 60) times.push(t);
  return times;
}

/**
 * Streams OpenMetrics text for every service: http_requests_total{status="200"|"500"},
 * the latency bucket at the tier threshold, le="+Inf" and _count (5 series per service).
 * Counters grow linearly from START, so the expected counts over any window are known.
 * Custom services: the latency histogram alone, plus bench_orders_total{app,result} per
 * unique service and per shared group.
 */
function writeOpenMetrics(file: string, services: ServiceShape[], times: number[]) {
  const fd = openSync(file, 'w');
  let chunk: string[] = [];
  let chunkLength = 0;
  let bytes = 0;
  const flush = () => {
    bytes += writeSync(fd, chunk.join(''));
    chunk = [];
    chunkLength = 0;
  };
  const series = (prefix: string, perSecond: number) => {
    const lines: string[] = new Array(times.length);
    for (let k = 0; k < times.length; k++) {
      lines[k] = `${prefix}${Math.round(perSecond * (times[k] - START))} ${times[k]}\n`;
    }
    const text = lines.join('');
    chunk.push(text);
    chunkLength += text.length;
    if (chunkLength > 1 << 22) flush();
  };
  let samples = 0;
  const conv = services.filter(s => s.family === 'nthlayer');
  /** Services with the convention latency histogram: the convention and custom SLIs. */
  const convLatency = services.filter(s => s.family === 'nthlayer' || isCustom(s.family));
  const groups = customGroups(services);
  const orders: Array<{ app: string; rate: number; errorRatio: number }> = [
    ...services.filter(s => s.family === 'custom-unique').map(s => ({ app: s.app!, ...s.availability })),
    ...groups.map(g => ({ app: g.name, rate: g.rate, errorRatio: g.errorRatio })),
  ];
  const otel = services.filter(s => s.family === 'otel-http');
  const micrometer = services.filter(s => s.family === 'micrometer');
  const family = <T,>(header: string, members: T[], each: (s: T) => void) => {
    if (!members.length) return;
    chunk.push(header);
    for (const s of members) each(s);
  };
  family('# TYPE http_requests counter\n', conv, s => {
    series(`http_requests_total{service="${s.name}",status="200"} `, s.rate * (1 - s.errorRatio));
    series(`http_requests_total{service="${s.name}",status="500"} `, s.rate * s.errorRatio);
    samples += 2 * times.length;
  });
  family(`# TYPE ${CUSTOM_METRIC.replace(/_total$/, '')} counter\n`, orders, o => {
    series(`${CUSTOM_METRIC}{app="${o.app}",result="ok"} `, o.rate * (1 - o.errorRatio));
    series(`${CUSTOM_METRIC}{app="${o.app}",result="error"} `, o.rate * o.errorRatio);
    samples += 2 * times.length;
  });
  family('# TYPE http_request_duration_seconds_bucket unknown\n', convLatency, s => {
    const le = TIER_LE[s.tier];
    series(`http_request_duration_seconds_bucket{service="${s.name}",le="${le}"} `, s.rate * s.fastRatio);
    series(`http_request_duration_seconds_bucket{service="${s.name}",le="+Inf"} `, s.rate);
    samples += 2 * times.length;
  });
  family('# TYPE http_request_duration_seconds_count unknown\n', convLatency, s => {
    series(`http_request_duration_seconds_count{service="${s.name}"} `, s.rate);
    samples += times.length;
  });
  // OpenTelemetry HTTP and Micrometer: one histogram per status (the good and the 5xx share
  // of the same rate), each with the tier-threshold bucket, le="+Inf" and _count (6 series).
  const statuses = (s: ServiceShape) => [
    { code: '200', outcome: 'SUCCESS', perSecond: s.rate * (1 - s.errorRatio) },
    { code: '500', outcome: 'SERVER_ERROR', perSecond: s.rate * s.errorRatio },
  ];
  const histogram = (name: string, members: ServiceShape[], labels: (s: ServiceShape, st: ReturnType<typeof statuses>[number]) => string) => {
    family(`# TYPE ${name}_bucket unknown\n`, members, s => {
      for (const st of statuses(s)) {
        series(`${name}_bucket{${labels(s, st)},le="${TIER_LE[s.tier]}"} `, st.perSecond * s.fastRatio);
        series(`${name}_bucket{${labels(s, st)},le="+Inf"} `, st.perSecond);
        samples += 2 * times.length;
      }
    });
    family(`# TYPE ${name}_count unknown\n`, members, s => {
      for (const st of statuses(s)) {
        series(`${name}_count{${labels(s, st)}} `, st.perSecond);
        samples += times.length;
      }
    });
  };
  histogram('http_server_request_duration_seconds', otel, (s, st) => `job="${s.name}",http_response_status_code="${st.code}"`);
  histogram('http_server_requests_seconds', micrometer, (s, st) => `application="${s.name}",outcome="${st.outcome}",status="${st.code}"`);
  chunk.push('# EOF\n');
  flush();
  closeSync(fd);
  return { bytes, samples, series: services.reduce((n, s) => n + SERIES_PER_SERVICE[s.family], 2 * groups.length) };
}

// ---- Prometheus ----------------------------------------------------------------------------

// ---- measurement helpers -------------------------------------------------------------------

/** The time the current run is evaluated at (s): the engine's and the resolvers' clock. */
let benchAt = END;
const benchClock = () => new Date(benchAt * 1000);

/**
 * Wraps a resolver's resolve() to time the resolution phase of a refresh: from the first
 * call to the last return; stop() unwraps and returns it in s.
 */
function timeResolves(resolver: SliResolver): { stop(): number } {
  const original = resolver.resolve;
  let first: number | undefined;
  let last = 0;
  resolver.resolve = async (service: NthlayerService) => {
    first ??= performance.now();
    try {
      return await original.call(resolver, service);
    } finally {
      last = performance.now();
    }
  };
  return {
    stop() {
      resolver.resolve = original;
      return first === undefined ? 0 : (last - first) / 1000;
    },
  };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** What a PromQL query measures: the batched families, or custom SLIs of one or a group. */
type QueryKind = 'families' | 'custom-unique' | 'custom-shared';
const QUERY_KINDS: QueryKind[] = ['families', 'custom-unique', 'custom-shared'];
const QUERY_KIND_TITLE: Record<QueryKind, string> = {
  families: 'batched families',
  'custom-unique': 'custom unique',
  'custom-shared': 'custom shared',
};

const noKinds = (): Record<QueryKind, number> => ({ families: 0, 'custom-unique': 0, 'custom-shared': 0 });

/** By its text: custom SLIs are the only queries on bench_orders_total; shared ones on app="shared-…". */
function queryKind(query: string): QueryKind {
  if (!query.includes(CUSTOM_METRIC)) return 'families';
  return query.includes('app="shared-') ? 'custom-shared' : 'custom-unique';
}

/**
 * A PrometheusClient that records when queries are in flight (the union of their
 * intervals is the time the refresh waited on Prometheus) and, past a deadline, refuses
 * further queries so a capped naive run ends quickly.
 */
class BenchClient extends PrometheusClient {
  deadline = Infinity;
  refused = 0;
  sentBeforeDeadline = 0;
  reachedDeadlineAt: number | undefined;
  #inFlight = 0;
  #busySince = 0;
  busyMs = 0;
  instant = 0;
  range = 0;
  rangeMs = 0;
  /** Instant + range queries by what they measure (see queryKind). */
  byKind = noKinds();
  slowest = { ms: 0, query: '' };

  override queryVector(query: string, time: Date): Promise<VectorSample[]> {
    return this.#track(query, false, () => super.queryVector(query, time));
  }

  override queryRange(query: string, start: Date, end: Date, step: number): Promise<MatrixSeries[]> {
    return this.#track(query, true, () => super.queryRange(query, start, end, step));
  }

  /** Time with at least one query in flight since the last reset (ms), up to now. */
  busyNow(): number {
    return this.busyMs + (this.#inFlight > 0 ? performance.now() - this.#busySince : 0);
  }

  /** Queries in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Waits until no query is in flight; returns how long that took (s). */
  async drain(limitMs = 600_000): Promise<number> {
    const t = performance.now();
    while (this.#inFlight > 0 && performance.now() - t < limitMs) {
      await new Promise(r => setTimeout(r, 100));
    }
    return (performance.now() - t) / 1000;
  }

  resetStats() {
    Object.assign(this, { busyMs: 0, instant: 0, range: 0, rangeMs: 0, refused: 0 });
    this.slowest = { ms: 0, query: '' };
    this.byKind = noKinds();
    this.sentBeforeDeadline = 0;
    this.reachedDeadlineAt = undefined;
  }

  async #track<T>(query: string, isRange: boolean, run: () => Promise<T>): Promise<T> {
    const now = performance.now();
    if (Date.now() > this.deadline) {
      this.reachedDeadlineAt ??= now;
      this.refused++;
      throw new PrometheusQueryError('benchmark time cap reached', query, false);
    }
    this.sentBeforeDeadline++;
    if (isRange) this.range++;
    else this.instant++;
    this.byKind[queryKind(query)]++;
    if (this.#inFlight++ === 0) this.#busySince = now;
    try {
      return await run();
    } finally {
      const end = performance.now();
      if (--this.#inFlight === 0) this.busyMs += end - this.#busySince;
      if (isRange) this.rangeMs += end - now;
      if (end - now > this.slowest.ms) this.slowest = { ms: end - now, query };
    }
  }
}

/** Time spent in database calls (knex query → response events). */
function trackDb(knex: Knex) {
  const started = new Map<string, number>();
  const stats = { ms: 0, queries: 0 };
  knex.on('query', (q: { __knexQueryUid: string }) => {
    started.set(q.__knexQueryUid, performance.now());
    stats.queries++;
  });
  const done = (_: unknown, q: { __knexQueryUid: string }) => {
    const t = started.get(q.__knexQueryUid);
    if (t !== undefined) stats.ms += performance.now() - t;
    started.delete(q.__knexQueryUid);
  };
  knex.on('query-response', done);
  knex.on('query-error', done);
  return stats;
}

/** Engine warnings of the current run (e.g. a failed history backfill). */
let engineWarnings: string[] = [];
const quietLogger: LoggerService = {
  error: (m: string) => {
    engineWarnings.push(m);
    console.error(`  [engine] ${m}`);
  },
  warn: (m: string) => {
    engineWarnings.push(m);
    console.error(`  [engine] ${m}`);
  },
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

// ---- one measured refresh ------------------------------------------------------------------

interface Row {
  services: number;
  slos: number;
  run: string;
  plan: 'batched' | 'naive';
  longWindows: 'rollup' | 'raw';
  wallS: number;
  /** Set when a naive run hit the cap: the extrapolated full wall time. */
  extrapolatedS?: number;
  queries: number;
  /** Queries a capped run would have sent (sent + refused). */
  plannedQueries?: number;
  instant: number;
  range: number;
  measured: number;
  stale: number;
  measurements: number;
  snapshots: number;
  rollups: number;
  backfilled: number;
  nodePeakMb: number;
  nodeStartMb: number;
  /** Queries still in flight when refresh() returned, and how long until they ended. */
  leftover: { queries: number; drainS: number };
  warnings: string[];
  promPeakMb: number;
  promBusyS: number;
  rangeQueryS: number;
  dbS: number;
  dbQueries: number;
  nodeCpuS: number;
  promCpuS: number;
  slowest: string;
  errors: string[];
  /** Mix mode: which resolver the refresh used ('cold' = fresh cache) and its index requests. */
  resolver?: 'cold' | 'warm';
  indexRequests?: number;
  /** Mix mode: first resolve() call to last return inside the refresh (s). */
  resolvingS?: number;
  /** PromQL queries (instant + range) by what they measure. */
  byKind: Record<QueryKind, number>;
}

interface Setup {
  knex: Knex;
  db: Awaited<ReturnType<typeof createNthlayerDatabase>>;
  dbStats: { ms: number; queries: number };
}

async function newDatabase(): Promise<Setup> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
  return { knex, db, dbStats: trackDb(knex) };
}

async function countRows(knex: Knex, table: string): Promise<number> {
  const [{ n }] = await knex(table).count({ n: '*' });
  return Number(n);
}

async function measure(options: {
  label: string;
  plan: 'batched' | 'naive';
  longWindows: 'rollup' | 'raw';
  at: number;
  entities: Entity[];
  setup: Setup;
  client: BenchClient;
  prom: Prometheus;
  capMs?: number;
  resolver?: { resolver: SliResolver; cache: 'cold' | 'warm' };
}): Promise<Row> {
  const { setup, client, prom } = options;
  benchAt = options.at;
  const resolver = options.resolver?.resolver;
  const resolving = resolver ? timeResolves(resolver) : undefined;
  const config = readNthlayerConfig(
    new ConfigReader({ nthlayer: { prometheus: { baseUrl: prom.baseUrl } } }),
  );
  const engine = new BudgetEngine({
    readEntities: async () => options.entities,
    prometheus: new PrometheusRegistry([client]),
    db: setup.db,
    logger: quietLogger,
    model: { tiers: config.tiers, defaultTimeZone: config.budgets.timeZone },
    // The plugin's defaults (backfill step 60 min, retention 90 d, concurrency 4).
    backfillStepMinutes: config.budgets.backfillStepMinutes,
    retentionDays: config.budgets.retentionDays,
    batch: options.plan === 'batched',
    longWindows: options.longWindows,
    clock: () => new Date(options.at * 1000),
    sliResolver: resolver,
  });
  const requestsBefore = resolver?.requests ?? 0;
  const snapshotsBefore = await setup.db.snapshots.count();
  const rollupsBefore = await countRows(setup.knex, 'nthlayer_daily_events');
  global.gc?.();
  client.resetStats();
  client.deadline = options.capMs ? Date.now() + options.capMs : Infinity;
  const dbBefore = { ...setup.dbStats };
  engineWarnings = [];
  const nodeStartMb = process.memoryUsage.rss() / 1048576;
  const peaksReset = resetPeak('self') && resetPeak(prom.pid);
  const cpuBefore = process.cpuUsage();
  const promCpuBefore = cpuSeconds(prom.pid);
  const t0 = performance.now();
  const summary: RefreshSummary = await engine.refresh();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const promCpu = cpuSeconds(prom.pid) - promCpuBefore;
  const nodePeakMb = peaksReset ? peakMb('self') : process.resourceUsage().maxRSS / 1024;
  const promPeakMb = peaksReset ? peakMb(prom.pid) : NaN;
  const busyMs = client.busyNow();
  // A failed history backfill rejects while its other batches are still querying; wait
  // for them so they do not run into the next measurement (their rows count here).
  const leftover = { queries: client.inFlight, drainS: 0 };
  if (leftover.queries) {
    leftover.drainS = await client.drain();
    console.error(`  (${leftover.queries} queries were still in flight when refresh() returned; they ended ${leftover.drainS.toFixed(1)} s later)`);
  }
  client.deadline = Infinity;
  const snapshots = (await setup.db.snapshots.count()) - snapshotsBefore;
  const rollups = (await countRows(setup.knex, 'nthlayer_daily_events')) - rollupsBefore;

  const row: Row = {
    services: summary.services,
    slos: summary.slos,
    run: options.label,
    plan: options.plan,
    longWindows: options.longWindows,
    wallS: wallMs / 1000,
    queries: summary.queries,
    instant: client.instant,
    range: client.range,
    byKind: { ...client.byKind },
    measured: summary.measured,
    stale: summary.stale,
    measurements: summary.measured + summary.stale,
    snapshots,
    rollups,
    backfilled: summary.backfilledSlos,
    nodePeakMb,
    nodeStartMb,
    warnings: engineWarnings.filter(w => !w.includes('benchmark time cap')),
    promPeakMb,
    promBusyS: busyMs / 1000,
    leftover,
    rangeQueryS: client.rangeMs / 1000,
    dbS: (setup.dbStats.ms - dbBefore.ms) / 1000,
    dbQueries: setup.dbStats.queries - dbBefore.queries,
    nodeCpuS: (cpu.user + cpu.system) / 1e6,
    promCpuS: promCpu,
    slowest: `${(client.slowest.ms / 1000).toFixed(2)} s: ${client.slowest.query.slice(0, 90)}`,
    errors: summary.errors,
  };
  if (resolver) {
    row.resolver = options.resolver!.cache;
    row.indexRequests = resolver.requests - requestsBefore;
    row.resolvingS = resolving!.stop();
  }
  if (client.refused > 0 && client.reachedDeadlineAt !== undefined) {
    // Capped: the queries sent before the cap took (cap − start) of wall time; the rest
    // are assumed to cost the same on average.
    const planned = client.sentBeforeDeadline + client.refused;
    row.plannedQueries = planned;
    row.extrapolatedS =
      ((client.reachedDeadlineAt - t0) / 1000) * (planned / client.sentBeforeDeadline);
    row.errors = row.errors.filter(e => !e.includes('benchmark time cap'));
  }
  console.error(
    `  ${options.label.padEnd(34)} ${row.wallS.toFixed(2).padStart(8)} s  ${String(row.queries).padStart(7)} queries  ` +
      `${row.measured}/${row.slos} measured  snapshots +${snapshots}  rollups +${rollups}  ` +
      `prom busy ${row.promBusyS.toFixed(2)} s  db ${row.dbS.toFixed(2)} s  ` +
      `cpu node ${row.nodeCpuS.toFixed(1)} s / prom ${row.promCpuS.toFixed(1)} s${
        resolver ? `  resolver ${row.resolver}: ${row.indexRequests} index requests, resolving ${row.resolvingS!.toFixed(2)} s` : ''
      }${
        MIX?.custom ? `  PromQL by kind: ${QUERY_KINDS.map(k => `${QUERY_KIND_TITLE[k]} ${row.byKind[k]}`).join(', ')}` : ''
      }${
        row.extrapolatedS ? `  CAPPED → ~${row.extrapolatedS.toFixed(0)} s extrapolated` : ''
      }`,
  );
  return row;
}

// ---- sanity ---------------------------------------------------------------------------------

/**
 * Compares stored 30-day counts with the synthetic rates for a few services (availability
 * of a shared custom service: its group's rates).
 */
async function checkValues(setup: Setup, services: ServiceShape[]): Promise<string[]> {
  const problems: string[] = [];
  const window = 30 * DAY_S;
  const picked = [
    services[0],
    services[1],
    services[services.length - 1],
    // In a mix with custom SLIs, one service of each custom kind too.
    services.find(x => x.family === 'custom-unique'),
    services.find(x => x.family === 'custom-shared'),
  ];
  for (const s of new Set(picked.filter((x): x is ServiceShape => x !== undefined))) {
    const rows: Array<{ slo_name: string; good_events: number; total_events: number }> =
      await setup.knex('nthlayer_slo_measurements')
        .where({ entity_ref: `component:default/${s.name}` })
        .select('slo_name', 'good_events', 'total_events');
    const a = s.availability;
    const expect: Record<string, [number, number]> = {
      availability: [a.rate * (1 - a.errorRatio) * window, a.rate * window],
      latency: [s.rate * s.fastRatio * window, s.rate * window],
    };
    for (const r of rows) {
      const [good, total] = expect[r.slo_name];
      const off = Math.max(
        Math.abs(r.good_events - good) / good,
        Math.abs(r.total_events - total) / total,
      );
      if (!(off < 0.01)) {
        problems.push(
          `${s.name}/${r.slo_name}: good ${r.good_events} total ${r.total_events}, expected ≈ ${good.toFixed(0)} / ${total.toFixed(0)}`,
        );
      }
    }
    if (rows.length !== 2) problems.push(`${s.name}: ${rows.length} measurements, expected 2`);
  }
  return problems;
}

// ---- instrumentation mix (BENCH_MIX) -----------------------------------------------------------

interface ResolveRow {
  run: string;
  wallS: number;
  indexRequests: number;
  /** Services whose resolved requests and latency family is the one generated for them. */
  matched: number;
  services: number;
}

interface MixCheck {
  family: Family;
  services: number;
  /** Availability measurements stored with traffic (good/total not null, total > 0). */
  nonNull: number;
  maxSliError: number;
  maxBudgetError: number;
  maxLatencySliError: number;
  /** Largest |stored − generated| / generated 30-day total events (availability). */
  maxTotalRelError: number;
}

/**
 * The engine's query plan for the resolved services (planQueryBatches, as in a refresh):
 * batches of the SLO windows and of the burn-rate windows, by what they measure.
 */
interface PlanCounts {
  window: Record<QueryKind, number>;
  burn: Record<QueryKind, number>;
  /** Members (SLOs) per shared custom window batch: smallest and largest. */
  sharedMembers: { min: number; max: number };
}

interface MixResult {
  byFamily: Record<Family, number>;
  /** Shared custom selectors (groups of CUSTOM_GROUP services). */
  groups: number;
  plan: PlanCounts;
  resolveRows: ResolveRow[];
  /** Per long-window mode, after its last refresh (the last repeat). */
  checks: Array<{ mode: 'rollup' | 'raw'; checks: MixCheck[] }>;
}

function familyCounts(services: ServiceShape[]): Record<Family, number> {
  const counts = Object.fromEntries(FAMILIES.map(f => [f, 0])) as Record<Family, number>;
  for (const s of services) counts[s.family]++;
  return counts;
}

/** The family (preset id) each intent of a service should resolve to. */
function expectedPreset(shape: ServiceShape, intent: string): string {
  if (!isCustom(shape.family)) return shape.family;
  // Custom SLIs replace the availability (requests) metrics only; latency is the convention's.
  return intent === 'latency' ? 'nthlayer' : 'custom';
}

/** Counts the batches of the engine's plans for `resolved` by kind (queryKind of their queries). */
function planCounts(resolved: NthlayerService[]): PlanCounts {
  const count = (batches: QueryBatch[]) => {
    const byKind = noKinds();
    for (const b of batches) byKind[queryKind(b.queries('1h').total)]++;
    return byKind;
  };
  const window = planQueryBatches(resolved);
  const shared = window.filter(b => queryKind(b.queries('1h').total) === 'custom-shared').map(b => b.members.length);
  return {
    window: count(window),
    burn: count(planQueryBatches(resolved, { ignoreWindow: true })),
    sharedMembers: { min: shared.length ? Math.min(...shared) : 0, max: shared.length ? Math.max(...shared) : 0 },
  };
}

/** Resolves every service at once with `resolver` (not inside a refresh): wall time and requests. */
async function resolveAll(
  label: string,
  resolver: SliResolver,
  parsed: NthlayerService[],
  shapesByName: Map<string, ServiceShape>,
): Promise<{ row: ResolveRow; resolved: NthlayerService[] }> {
  benchAt = END;
  const before = resolver.requests;
  const t0 = performance.now();
  const all: SliResolution[][] = await Promise.all(parsed.map(s => resolver.resolve(s)));
  const wallS = (performance.now() - t0) / 1000;
  let matched = 0;
  parsed.forEach((s, i) => {
    const shape = shapesByName.get(s.name)!;
    if (all[i].length === 2 && all[i].every(r => r.chosen?.preset === expectedPreset(shape, r.intent))) matched++;
  });
  const row = { run: label, wallS, indexRequests: resolver.requests - before, matched, services: parsed.length };
  console.error(
    `  ${label.padEnd(34)} ${wallS.toFixed(2).padStart(8)} s  ${row.indexRequests} index requests  ` +
      `${matched}/${parsed.length} resolved to their generated family`,
  );
  return { row, resolved: parsed.map((s, i) => SliResolver.apply(s, all[i])) };
}

/**
 * Mix mode of one size: the resolver alone (cold, then warm cache), then refreshes through
 * it: first sight (database and resolver cold), warm, warm database with a fresh resolver
 * (its first-sight cost inside a refresh), and warm again. No naive loop.
 */
async function runMix(ctx: {
  n: number;
  services: ServiceShape[];
  entities: Entity[];
  client: BenchClient;
  prom: Prometheus;
  check: (row: Row) => void;
  problems: string[];
}): Promise<MixResult> {
  const { n, services, entities, client, prom, check, problems } = ctx;
  const config = readNthlayerConfig(new ConfigReader({ nthlayer: { prometheus: { baseUrl: prom.baseUrl } } }));
  const model = { tiers: config.tiers, defaultTimeZone: config.budgets.timeZone };
  const parsed = entities.map(e => parseNthlayerService(e, model).service!);
  const shapesByName = new Map(services.map(s => [s.name, s]));
  const registry = new PrometheusRegistry([client]);
  const newResolver = () => new SliResolver({ prometheus: registry, clock: benchClock });
  const resolveRows: ResolveRow[] = [];
  const checks = new Map<'rollup' | 'raw', MixCheck[]>();
  const groups = customGroups(services);
  let plan: PlanCounts | undefined;
  for (let r = 1; r <= REPEAT; r++) {
    const suffix = REPEAT > 1 ? ` #${r}` : '';
    const alone = newResolver();
    const { row: cold, resolved } = await resolveAll(`resolve all, cold cache${suffix}`, alone, parsed, shapesByName);
    resolveRows.push(cold, (await resolveAll(`resolve all, warm cache${suffix}`, alone, parsed, shapesByName)).row);
    if (!plan) {
      const counted = planCounts(resolved);
      plan = counted;
      const counts = familyCounts(services);
      console.error(
        `  query plan (planQueryBatches on the resolved services): window batches ${QUERY_KINDS.map(k => `${k} ${counted.window[k]}`).join(', ')}; ` +
          `burn batches ${QUERY_KINDS.map(k => `${k} ${counted.burn[k]}`).join(', ')}; ` +
          `${groups.length} shared group(s), ${counted.sharedMembers.min}–${counted.sharedMembers.max} SLOs per shared batch`,
      );
      // One window batch per custom query text: per unique service, per shared group.
      if (plan.window['custom-unique'] !== counts['custom-unique']) {
        problems.push(`${n} plan: ${plan.window['custom-unique']} custom unique window batches for ${counts['custom-unique']} unique services`);
      }
      if (plan.window['custom-shared'] !== groups.length) {
        problems.push(`${n} plan: ${plan.window['custom-shared']} custom shared window batches for ${groups.length} groups`);
      }
    }
    for (const row of resolveRows.slice(-2)) {
      if (row.matched !== row.services) problems.push(`${n} ${row.run}: ${row.services - row.matched} service(s) resolved to another family`);
    }
    for (const mode of MODES) {
      const setup = await newDatabase();
      const common = { entities, setup, client, prom, longWindows: mode, plan: 'batched' as const };
      const steady = newResolver();
      check(await measure({ ...common, label: `batched cold (first sight)${suffix}`, at: END, resolver: { resolver: steady, cache: 'cold' } }));
      check(await measure({ ...common, label: `batched warm${suffix}`, at: END + 60, resolver: { resolver: steady, cache: 'warm' } }));
      check(await measure({ ...common, label: `batched warm, fresh resolver${suffix}`, at: END + 120, resolver: { resolver: newResolver(), cache: 'cold' } }));
      check(await measure({ ...common, label: `batched warm, again${suffix}`, at: END + 180, resolver: { resolver: steady, cache: 'warm' } }));
      problems.push(...(await checkValues(setup, services)).map(p => `${n} ${mode}: ${p}`));
      const result = await checkMix(setup, services, parsed);
      problems.push(...result.problems.map(p => `${n} ${mode}: ${p}`));
      checks.set(mode, result.checks);
      console.error(`  ${mode}: ${budgetsCheckedLine(result.checks)}`);
      await setup.knex.destroy();
    }
  }
  return {
    byFamily: familyCounts(services),
    groups: groups.length,
    plan: plan!,
    resolveRows,
    checks: [...checks].map(([mode, c]) => ({ mode, checks: c })),
  };
}

/** SLI and remaining-budget errors this large mean the engine read the wrong series. */
const MIX_SLI_TOLERANCE = 1e-4;

/**
 * Every service's stored availability measurement must have traffic, and its SLI and
 * remaining budget (and the latency SLI) must equal the ones computed from the generated
 * rates: availability 1 − errorRatio, latency fastRatio, over the 30-day window. A shared
 * custom service's availability is its group's counter (rate and error share of the group).
 */
async function checkMix(
  setup: Setup,
  services: ServiceShape[],
  parsed: NthlayerService[],
): Promise<{ problems: string[]; checks: MixCheck[] }> {
  const problems: string[] = [];
  const rows: Array<{ entity_ref: string; slo_name: string; good_events: number | null; total_events: number | null; window_minutes: number | null }> =
    await setup.knex('nthlayer_slo_measurements').select('entity_ref', 'slo_name', 'good_events', 'total_events', 'window_minutes');
  const stored = new Map(rows.map(r => [`${r.entity_ref}\u0000${r.slo_name}`, r]));
  const checks = new Map<Family, MixCheck>(
    FAMILIES.map(family => [family, { family, services: 0, nonNull: 0, maxSliError: 0, maxBudgetError: 0, maxLatencySliError: 0, maxTotalRelError: 0 }]),
  );
  parsed.forEach((service, i) => {
    const shape = services[i];
    const c = checks.get(shape.family)!;
    c.services++;
    const availability = stored.get(`${service.entityRef}\u0000availability`);
    const latency = stored.get(`${service.entityRef}\u0000latency`);
    if (!availability || availability.good_events === null || availability.total_events === null || !(availability.total_events > 0)) {
      if (problems.length < 10) problems.push(`${shape.name} (${shape.family}): availability measurement ${availability ? `good ${availability.good_events} total ${availability.total_events}` : 'missing'}`);
      return;
    }
    c.nonNull++;
    const slo = service.slos.find(x => x.kind === 'availability')!;
    const minutes = availability.window_minutes ?? slo.window.minutes;
    const actual = computeErrorBudget(slo.targetPercent, minutes, { good: availability.good_events, total: availability.total_events })!;
    // What the availability SLI is measured from (a shared custom service: its group's counter).
    const { rate, errorRatio } = shape.availability;
    const total = rate * minutes * 60;
    const expected = computeErrorBudget(slo.targetPercent, minutes, { good: total * (1 - errorRatio), total })!;
    const sliError = Math.abs(availability.good_events / availability.total_events - (1 - errorRatio));
    const budgetError = Math.abs(actual.remainingRatio - expected.remainingRatio);
    c.maxSliError = Math.max(c.maxSliError, sliError);
    c.maxBudgetError = Math.max(c.maxBudgetError, budgetError);
    const totalError = Math.abs(availability.total_events - total) / total;
    if (!(totalError < 0.01) && !(c.maxTotalRelError >= 0.01)) {
      problems.push(`${shape.family}: e.g. ${shape.name} stored ${int(Math.round(availability.total_events))} total events over ${minutes / 1440} d, generated ${int(Math.round(total))}`);
    }
    c.maxTotalRelError = Math.max(c.maxTotalRelError, totalError);
    if (!(sliError < MIX_SLI_TOLERANCE) && problems.length < 10) {
      problems.push(`${shape.name} (${shape.family}): availability ${availability.good_events}/${availability.total_events}, expected ${1 - errorRatio}`);
    }
    if (latency?.good_events !== null && latency?.good_events !== undefined && latency.total_events) {
      const latencyError = Math.abs(latency.good_events / latency.total_events - shape.fastRatio);
      c.maxLatencySliError = Math.max(c.maxLatencySliError, latencyError);
      if (!(latencyError < MIX_SLI_TOLERANCE) && problems.length < 10) {
        problems.push(`${shape.name} (${shape.family}): latency ${latency.good_events}/${latency.total_events}, expected ${shape.fastRatio}`);
      }
    } else if (problems.length < 10) {
      problems.push(`${shape.name} (${shape.family}): no latency measurement with traffic`);
    }
  });
  for (const c of checks.values()) {
    if (c.nonNull !== c.services) problems.push(`${c.family}: ${c.services - c.nonNull} of ${c.services} availability measurements null`);
  }
  return { problems, checks: [...checks.values()].filter(c => c.services > 0) };
}

function budgetsCheckedLine(checks: MixCheck[]): string {
  const services = checks.reduce((n, c) => n + c.services, 0);
  const nonNull = checks.reduce((n, c) => n + c.nonNull, 0);
  const max = (f: (c: MixCheck) => number) => Math.max(...checks.map(f));
  return (
    `budgets checked: ${int(nonNull)}/${int(services)} availability measurements non-null; ` +
    `every service vs its generated rates (${checks.map(c => `${c.family} ${int(c.services)}`).join(', ')}): ` +
    `max abs error availability SLI ${max(c => c.maxSliError).toExponential(2)}, ` +
    `remaining budget ratio ${max(c => c.maxBudgetError).toExponential(2)}, latency SLI ${max(c => c.maxLatencySliError).toExponential(2)}; ` +
    `max relative error of the 30-day totals ${checks.map(c => `${c.family} ${(c.maxTotalRelError * 100).toFixed(2)} %`).join(', ')}`
  );
}

// ---- one size --------------------------------------------------------------------------------

interface SizeResult {
  size: number;
  setup: { generateS: number; promtoolS: number; startS: number; bytes: number; samples: number; series: number; blocks: number };
  rows: Row[];
  problems: string[];
  compactions: boolean;
  mix?: MixResult;
}

async function runSize(n: number): Promise<SizeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nthlayer-bench-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanup);
  let prom: Prometheus | undefined;
  try {
    console.error(`\n== ${n.toLocaleString('en-US')} services (${dir})`);
    const services = shapes(n);
    const times = sampleTimes();
    let t = performance.now();
    const om = join(dir, 'series.om');
    const written = writeOpenMetrics(om, services, times);
    const generateS = (performance.now() - t) / 1000;
    console.error(
      `  generated ${written.series} series × ${times.length} samples = ${written.samples.toLocaleString('en-US')} samples, ` +
        `${(written.bytes / 1e6).toFixed(0)} MB OpenMetrics in ${generateS.toFixed(1)} s`,
    );
    t = performance.now();
    const data = join(dir, 'data');
    execFileSync(
      PROMTOOL,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${MAX_BLOCK_DURATION}`, om, data],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const promtoolS = (performance.now() - t) / 1000;
    rmSync(om);
    const blocks = readdirSync(data).filter(d => statSync(join(data, d)).isDirectory() && /^01/.test(d)).length;
    console.error(`  promtool: ${blocks} block(s) in ${promtoolS.toFixed(1)} s`);
    t = performance.now();
    prom = await startPrometheus(dir, data);
    const startS = (performance.now() - t) / 1000;
    const client = new BenchClient(readNthlayerConfig(
      new ConfigReader({ nthlayer: { prometheus: { baseUrl: prom.baseUrl } } }),
    ).prometheusInstances[0]);
    // One query touching every series, so no run pays for the first mmap of the blocks.
    await client.queryVector(
      MIX ? 'count(count_over_time({__name__=~"http_.+|bench_.+"}[31d]))' : 'count(count_over_time({service!=""}[31d]))',
      new Date(END * 1000),
    );
    console.error(`  prometheus ready in ${startS.toFixed(1)} s at ${prom.baseUrl}`);

    const entities = services.map(s => serviceEntity(s.name, annotationsOf(s)));
    const rows: Row[] = [];
    const problems: string[] = [];
    const check = (row: Row) => {
      if (row.extrapolatedS === undefined && (row.measured !== row.slos || row.stale)) {
        problems.push(`${n} ${row.run}: ${row.measured}/${row.slos} measured, ${row.stale} stale ${row.errors.join('; ')}`);
      }
      if (row.errors.length) problems.push(`${n} ${row.run}: ${row.errors.join('; ')}`);
      for (const w of new Set(row.warnings)) problems.push(`${n} ${row.longWindows} ${row.run}: engine warned: ${w}`);
      rows.push(row);
    };
    const mix = MIX ? await runMix({ n, services, entities, client, prom, check, problems }) : undefined;
    for (let r = 1; r <= REPEAT && !MIX; r++) {
      const suffix = REPEAT > 1 ? ` #${r}` : '';
      for (const mode of MODES) {
        const setup = await newDatabase();
        const common = { entities, setup, client, prom, longWindows: mode };
        check(await measure({ ...common, label: `batched cold (first sight)${suffix}`, plan: 'batched', at: END }));
        check(await measure({ ...common, label: `batched warm${suffix}`, plan: 'batched', at: END + 60 }));
        problems.push(...(await checkValues(setup, services)).map(p => `${n} ${mode}: ${p}`));
        if (n <= NAIVE_MAX && (mode === 'raw' || n <= NAIVE_ROLLUP_MAX)) {
          // Same database: the history exists, so no backfill; in rollup mode the naive
          // plan's per-SLO day rows do not exist yet, so its first run fills them.
          const first = await measure({
            ...common,
            label: mode === 'rollup' ? `naive, per-SLO days filled${suffix}` : `naive warm${suffix}`,
            plan: 'naive',
            at: END + 120,
            capMs: NAIVE_CAP_MS,
          });
          check(first);
          if (mode === 'rollup' && first.extrapolatedS === undefined && n <= NAIVE_ROLLUP_MAX) {
            check(await measure({ ...common, label: `naive warm${suffix}`, plan: 'naive', at: END + 180, capMs: NAIVE_CAP_MS }));
          }
          problems.push(...(await checkValues(setup, services)).map(p => `${n} ${mode} naive: ${p}`));
        }
        // The batched warm refresh again, after everything else: is it repeatable?
        check(await measure({ ...common, label: `batched warm, again${suffix}`, plan: 'batched', at: END + 240 }));
        await setup.knex.destroy();
      }
    }
    const compactions = /compact blocks|Compaction/i.test(prom.log());
    return {
      size: n,
      setup: { generateS, promtoolS, startS, bytes: written.bytes, samples: written.samples, series: written.series, blocks },
      rows,
      problems,
      compactions,
      mix,
    };
  } finally {
    await prom?.stop();
    cleanup();
    process.removeListener('exit', cleanup);
  }
}

// ---- report ----------------------------------------------------------------------------------

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

function wall(row: Row): string {
  return row.extrapolatedS !== undefined
    ? `**capped at ${f1(row.wallS)}; ≈ ${f1(row.extrapolatedS)} extrapolated**`
    : f2(row.wallS);
}

function resultTable(results: SizeResult[]): string {
  const head =
    '| services | SLOs | long windows | run | wall s | PromQL queries (instant + range) | rows written: measurements + snapshots + day rollups | Node peak RSS MB | Prometheus peak RSS MB | waiting on Prometheus s | SQLite s | Node CPU s | Prometheus CPU s | queries in flight after return (ended s later) |\n' +
    '|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = results.flatMap(r =>
    r.rows.map(
      row =>
        `| ${int(row.services)} | ${int(row.slos)} | ${row.longWindows} | ${row.run} | ${wall(row)} | ` +
        `${int(row.queries)}${row.plannedQueries ? ` of ${int(row.plannedQueries)} planned` : ''} (${int(row.instant)} + ${int(row.range)}) | ` +
        `${int(row.measurements + row.snapshots + row.rollups)} = ${int(row.measurements)} + ${int(row.snapshots)} + ${int(row.rollups)} | ` +
        `${f1(row.nodePeakMb)} (start ${f1(row.nodeStartMb)}) | ${f1(row.promPeakMb)} | ${f2(row.promBusyS)} | ${f2(row.dbS)} | ${f1(row.nodeCpuS)} | ${f1(row.promCpuS)} | ` +
        `${row.leftover.queries ? `${row.leftover.queries} (${f1(row.leftover.drainS)})` : '0'} |`,
    ),
  );
  return [head, ...lines].join('\n');
}

function ratioTable(results: SizeResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const reps = REPEAT > 1 ? Array.from({ length: REPEAT }, (_, i) => ` #${i + 1}`) : [''];
    for (const suffix of reps) {
      const find = (mode: string, run: string) =>
        r.rows.find(x => x.longWindows === mode && x.run === `${run}${suffix}`);
      const naiveRaw = find('raw', 'naive warm');
      for (const mode of MODES) for (const warmRun of ['batched warm', 'batched warm, again']) {
        const batched = find(mode, warmRun);
        const naiveSame = find(mode, 'naive warm') ?? find(mode, 'naive, per-SLO days filled');
        for (const [what, naive] of [
          [`naive (${mode})`, naiveSame],
          ...(mode !== 'raw' ? [['naive (raw)', naiveRaw] as const] : []),
        ] as Array<[string, Row | undefined]>) {
          if (!batched || !naive) continue;
          const naiveS = naive.extrapolatedS ?? naive.wallS;
          const naiveQ = naive.plannedQueries ?? naive.queries;
          const est = naive.extrapolatedS !== undefined ? ' (extrapolated)' : '';
          lines.push(
            `| ${int(r.size)}${suffix} | ${warmRun} (${mode}) vs ${what}, ${naive.run.replace(suffix, '')} | ` +
              `${f2(batched.wallS)} vs ${f1(naiveS)}${est} | **${f1(naiveS / batched.wallS)}×** | ` +
              `${int(batched.queries)} vs ${int(naiveQ)} | **${f1(naiveQ / batched.queries)}×** |`,
          );
        }
      }
    }
  }
  return [
    '| services | comparison | wall s (batched vs naive) | time ratio | queries (batched vs naive) | query ratio |',
    '|---:|---|---:|---:|---:|---:|',
    ...lines,
  ].join('\n');
}

function setupTable(results: SizeResult[]): string {
  return [
    '| services | series | samples | OpenMetrics MB | generate s | promtool s (blocks) | Prometheus start s |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      r =>
        `| ${int(r.size)} | ${int(r.setup.series)} | ${int(r.setup.samples)} | ${f1(r.setup.bytes / 1e6)} | ` +
        `${f1(r.setup.generateS)} | ${f1(r.setup.promtoolS)} (${r.setup.blocks}) | ${f1(r.setup.startS)} |`,
    ),
  ].join('\n');
}

function machine(): string {
  const version = (bin: string) => {
    try {
      return execFileSync(bin, ['--version'], { encoding: 'utf8' }).split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  return (
    `- date: ${new Date().toISOString()}\n` +
    `- machine: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}\n` +
    `- ${version(PROMETHEUS_BIN)}\n`
  );
}

async function main() {
  const started = performance.now();
  const results: SizeResult[] = [];
  for (const n of SIZES) results.push(await runSize(n));
  const totalS = (performance.now() - started) / 1000;
  if (MIX) {
    writeReport(mixMarkdown(results, totalS));
    return;
  }
  const slowest = results.flatMap(r => r.rows.map(row => `- ${int(row.services)} ${row.longWindows} ${row.run}: ${row.slowest}`));
  const problems = results.flatMap(r => r.problems.filter(p => !p.includes('engine warned')));
  const warnings = results.flatMap(r => r.problems.filter(p => p.includes('engine warned')));
  const markdown = `# Budget refresh benchmark

\`yarn bench:budgets\` (plugins/nthlayer-backend/bench/budgets.ts). Not a timed test: numbers
depend on the machine and on whatever else runs on it.

${machine()}- whole benchmark: ${f1(totalS)} s (sizes ${SIZES.join(', ')}; repeat ${REPEAT})

## Workload

Every service is an \`api\` service (tiers 1/2/3 in turn, so three latency thresholds), with
two SLOs (availability and latency, 30-day window): N services = 2N SLOs. Five series per
service: \`http_requests_total{status="200"|"500"}\`, \`http_request_duration_seconds_bucket\`
at the tier threshold and \`le="+Inf"\`, and \`_count\`. 31 days of history at a
**${STEP_MINUTES}-minute step**, the last ${FINE_TAIL_MINUTES} minutes every 60 s (so the 5m and 30m
burn windows have samples). A real scrape every 15 s holds ${int((STEP_MINUTES * 60) / 15)}×
more samples per series than this history, which makes raw scans of long windows cheaper
here than in production; the day rollups do not depend on it.

Each size: a fresh Prometheus (promtool backfill, ${MAX_BLOCK_DURATION} blocks, compaction
off), an in-memory SQLite database per long-window mode, and the plugin's defaults
(concurrency 4, backfill step 60 min, retention 90 d, timeout 30 s, 2 retries).

- **batched cold (first sight)**: empty database; includes the 30-day history backfill
  (range queries) and, in rollup mode, filling the stored days.
- **batched warm**: the next refresh a minute later.
- **naive**: \`batch: false\` (one good/total query pair per SLO and window) on the same,
  already warm database, so no history backfill (the backfiller is always batched). In rollup mode its
  first run stores days per SLO (\`naive, per-SLO days filled\`), then it runs warm.
- A naive run is stopped after ${NAIVE_CAP_MS / 1000} s: queries after the cap are refused, and
  the wall time is extrapolated as (time to the cap) × (planned queries ÷ queries sent).

Columns: *rows written* = measurements upserted (summary.measured + stale) + snapshot rows
appended (count delta, backfill included) + day-rollup rows inserted (count delta). *Peak
RSS* is VmHWM from /proc, reset (clear_refs 5) before each run, so it is the peak of that run
alone, for this Node process and for the Prometheus process. *Waiting on Prometheus* is the
wall time during which at least one query was in flight (up to the return of refresh()); *SQLite* is the summed time of
knex queries (better-sqlite3 is synchronous, so it does not overlap the event loop's work).
*Queries in flight after return*: a history backfill that fails rejects while its other
batches still query (and may still write); the benchmark waits for them before the next run.

## Setup (not part of any refresh)

${setupTable(results)}

## Refreshes

${resultTable(results)}

## Naive ÷ batched (warm)

${ratioTable(results)}

Target: 10,000 SLOs in < 15 s and ≥ 10× the naive loop.

The same workload in several instrumentation families, through the SLI resolver
(\`BENCH_MIX\`): [BUDGETS-MIX-RESULTS.md](BUDGETS-MIX-RESULTS.md).

## Slowest single query per run (including the client's retries)

${slowest.join('\n')}

## Checks

${problems.length ? problems.map(p => `- PROBLEM: ${p}`).join('\n') : '- every non-capped run measured every SLO (measured = SLOs, 0 stale, no errors); stored 30-day counts of three services per size match the synthetic rates within 1 %'}
${warnings.map(p => `- ${p}`).join('\n')}
${results.some(r => r.compactions) ? '- Prometheus logged a compaction during the run' : '- Prometheus logged no compaction'}
`;
  writeReport(markdown);
}

function writeReport(markdown: string) {
  console.log(markdown);
  if (RESULTS !== '-') {
    writeFileSync(RESULTS, markdown);
    console.error(`written to ${RESULTS}`);
  }
}

const FAMILY_TITLE: Record<Family, string> = {
  nthlayer: 'convention (`http_requests_total{service,status}`)',
  'otel-http': 'OpenTelemetry HTTP (`http_server_request_duration_seconds{job,http_response_status_code}`)',
  micrometer: 'Micrometer (`http_server_requests_seconds{application,outcome,status}`)',
  'custom-unique': `custom SLI on its own selector (\`${CUSTOM_METRIC}{app="<service>"}\`)`,
  'custom-shared': `custom SLI on a shared selector (\`${CUSTOM_METRIC}{app="shared-<k>"}\`)`,
};

function mixMarkdown(results: SizeResult[], totalS: number): string {
  const mix = MIX!;
  const mixText = `${mix.otel},${mix.micrometer}${mix.custom ? `,${mix.custom}` : ''}`;
  const mixes = results.filter(r => r.mix);
  const kinds = (k: Record<QueryKind, number>) => QUERY_KINDS.map(x => int(k[x])).join(' / ');
  const families = mixes
    .map(r => {
      const c = r.mix!.byFamily;
      return (
        `| ${int(r.size)} | ${int(c.nthlayer)} | ${int(c['otel-http'])} | ${int(c.micrometer)} | ${int(c['custom-unique'])} | ` +
        `${int(c['custom-shared'])} (${int(r.mix!.groups)}) | ${int(r.setup.series)} | ${int(r.setup.samples)} | ${f1(r.setup.bytes / 1e6)} | ${f1(r.setup.generateS)} | ${f1(r.setup.promtoolS)} (${r.setup.blocks}) |`
      );
    })
    .join('\n');
  const plan = mixes
    .map(r => {
      const p = r.mix!.plan;
      const shared = p.sharedMembers.max ? `${p.sharedMembers.min}–${p.sharedMembers.max}` : '-';
      return `| ${int(r.size)} | ${kinds(p.window)} | ${kinds(p.burn)} | ${shared} |`;
    })
    .join('\n');
  const alone = mixes
    .flatMap(r => r.mix!.resolveRows.map(x => `| ${int(r.size)} | ${x.run} | ${f2(x.wallS)} | ${int(x.indexRequests)} | ${int(x.matched)} / ${int(x.services)} |`))
    .join('\n');
  const refreshes = mixes
    .flatMap(r =>
      r.rows.map(
        row =>
          `| ${int(row.services)} | ${int(row.slos)} | ${row.longWindows} | ${row.run} | ${row.resolver ?? '-'} | ${f2(row.wallS)} | ` +
          `${int(row.queries)} | ${int(row.instant + row.range)} (${int(row.instant)} + ${int(row.range)}) | ${kinds(row.byKind)} | ${int(row.indexRequests ?? 0)} | ${f2(row.resolvingS ?? NaN)} | ` +
          `${int(row.measured)} / ${int(row.slos)} | ${f1(row.nodePeakMb)} | ${f1(row.promPeakMb)} | ${f2(row.promBusyS)} | ${f2(row.dbS)} | ${f1(row.nodeCpuS)} | ${f1(row.promCpuS)} |`,
      ),
    )
    .join('\n');
  // Queries per custom query text (window batch): unique = per service, shared = per group.
  const perText = mixes
    .flatMap(r =>
      r.rows.map(row => {
        const p = r.mix!.plan.window;
        const per = (k: QueryKind) => (p[k] ? f1(row.byKind[k] / p[k]) : '-');
        return `| ${int(row.services)} | ${row.longWindows} | ${row.run} | ${per('custom-unique')} | ${per('custom-shared')} |`;
      }),
    )
    .join('\n');
  const checks = mixes
    .flatMap(r => r.mix!.checks.map(m => `- ${int(r.size)} services, ${m.mode}: ${budgetsCheckedLine(m.checks)}`))
    .join('\n');
  const perFamily = mixes
    .flatMap(r =>
      r.mix!.checks.flatMap(m => m.checks.map(
        c => `| ${int(r.size)} | ${m.mode} | ${c.family} | ${int(c.nonNull)} / ${int(c.services)} | ${c.maxSliError.toExponential(2)} | ${c.maxBudgetError.toExponential(2)} | ${c.maxLatencySliError.toExponential(2)} | ${(c.maxTotalRelError * 100).toFixed(2)} % |`,
      )),
    )
    .join('\n');
  const problems = results.flatMap(r => r.problems);
  const slowest = mixes.flatMap(r => r.rows.map(row => `- ${int(row.services)} ${row.longWindows} ${row.run}: ${row.slowest}`));
  const unique = Math.ceil(mix.custom / 2);
  const customWorkload = mix.custom
    ? `

**Custom SLIs** (${mix.custom} % of the services, slots after Micrometer's): their entities carry
\`nthlayer.dev/sli-good: ${CUSTOM_METRIC}{app="<x>",result="ok"}\` and
\`nthlayer.dev/sli-total: ${CUSTOM_METRIC}{app="<x>"}\`, and the counter
\`${CUSTOM_METRIC}{app,result="ok"|"error"}\` is written at rate × (1 − error share) and rate × error
share, the numbers the other families use. Two kinds:

- **unique** (${unique} % of the services): \`app\` is the service's own name, so each service has its own
  query text: one window batch (one good/total pair per range) per service.
- **shared** (${mix.custom - unique} %): in service order, groups of ${CUSTOM_GROUP} whose annotations carry the very same
  text, \`app="shared-<k>"\`: a tenant-wide counter at the group's summed rate, error share
  ${ERROR_RATIOS.join(' / ')} by *k* mod 4. \`planQueryBatches\` groups them into one batch per group, and
  every member's expected availability and budget are the group counter's.

Their latency SLO stays on the convention histogram \`http_request_duration_seconds{service}\`
(\`sliCandidateFor\` takes a service's custom SLI for availability only), so a custom service has
the convention's 3 histogram series, plus 2 \`${CUSTOM_METRIC}\` series per unique service and per group.`
    : '\n\nNo custom-SLI share in this run (the optional third `BENCH_MIX` number).';
  return `# Budget refresh benchmark: instrumentation mix

\`BENCH_MIX=${mixText} yarn bench:budgets\` (plugins/nthlayer-backend/bench/budgets.ts). Not a
timed test: numbers depend on the machine and on whatever else runs on it.

${machine()}- load average at the end (1, 5, 15 min): ${loadavg().map(f2).join(', ')} on ${cpus().length} CPU(s)
- whole benchmark: ${f1(totalS)} s (sizes ${SIZES.join(', ')}; long windows ${MODES.join(', ')}; repeat ${REPEAT})

## Workload

The workload of [RESULTS.md](RESULTS.md) (api services, tiers 1/2/3 in turn, availability and
latency SLOs over 30 days, the same per-service rates, error and latency shares, 31 days of
history at a ${STEP_MINUTES}-minute step and the last ${FINE_TAIL_MINUTES} minutes every 60 s), but each service's
series are written in one of several metric families: ${mix.otel} % ${FAMILY_TITLE['otel-http']},
${mix.micrometer} % ${FAMILY_TITLE.micrometer}, ${mix.custom ? `${mix.custom} % custom SLIs (below), ` : ''}the rest ${FAMILY_TITLE.nthlayer}. Service *i* takes slot
37·*i* mod 100, so each family spans every tier, rate and ratio. OpenTelemetry and
Micrometer services have one histogram per status (200 and 500, Micrometer outcome
\`SUCCESS\` / \`SERVER_ERROR\`), each with the tier-threshold bucket, \`le="+Inf"\` and \`_count\`
(6 series per service; the convention has 5).${customWorkload}

The engine runs with \`sliResolver: new SliResolver({ prometheus, clock })\` (defaults: TTL
10 min, lookback 24 h), concurrency 4, the plugin's defaults otherwise. No naive loop.

- **resolve all, cold / warm cache**: \`Promise.all(services.map(s => resolver.resolve(s)))\` on a
  fresh resolver, then again on the same one; outside any refresh.
- **batched cold (first sight)**: empty database and a fresh resolver (history backfill included).
- **batched warm**: a minute later, same resolver (steady state).
- **batched warm, fresh resolver**: warm database, new resolver: the resolver's first-sight cost inside a refresh.
- **batched warm, again**: the steady-state resolver once more.

Columns: *summary.queries* counts every request through the client, so it includes the
resolver's index requests (\`/api/v1/label/<label>/values\`); *PromQL* is instant + range
queries alone, and *by kind* splits them by their text: *custom shared* = the ones on
\`${CUSTOM_METRIC}{app="shared-…"}\`, *custom unique* = the other \`${CUSTOM_METRIC}\` ones, *batched
families* = the rest (the \`sum by (<service label>)\` batches of the three families, custom
services' latency included). *Resolving s* is from the engine's first \`resolve()\` call to its last return
(the SQLite upsert of the resolved sources is in *SQLite s*). Peak RSS: VmHWM, reset per run.

## Services per family and setup

| services | convention | OpenTelemetry HTTP | Micrometer | custom unique | custom shared (groups) | series | samples | OpenMetrics MB | generate s | promtool s (blocks) |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${families}

## Query plan

\`planQueryBatches\` on the services as the resolver resolved them (the plans a refresh runs):
batches of the SLO windows and of the burn-rate windows (each burn batch costs one pair per
burn window), as batched families / custom unique / custom shared.

| services | window batches | burn-rate batches | SLOs per shared custom batch |
|---:|---:|---:|---:|
${plan}

## Resolver alone

| services | run | wall s | index requests | resolved to the generated family (requests and latency; custom: requests custom, latency convention) |
|---:|---|---:|---:|---:|
${alone}

## Refreshes through the resolver

| services | SLOs | long windows | run | resolver cache | wall s | summary.queries | PromQL (instant + range) | PromQL by kind: batched families / custom unique / custom shared | resolver index requests | resolving s | measured / SLOs | Node peak RSS MB | Prometheus peak RSS MB | waiting on Prometheus s | SQLite s | Node CPU s | Prometheus CPU s |
|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${refreshes}
${mix.custom ? `
PromQL queries per custom query text (custom queries of the refresh ÷ custom window batches of
the plan: per unique service, per shared group):

| services | long windows | run | custom unique | custom shared |
|---:|---|---|---:|---:|
${perText}
` : ''}
## Checks

${checks}

Per family, after the last refresh (stored measurements vs the generated rates, every service;
shared custom: vs its group's counter):

| services | long windows | family | availability non-null | max abs error availability SLI | max abs error remaining budget ratio | max abs error latency SLI | max rel error 30-day total events |
|---:|---|---|---:|---:|---:|---:|---:|
${perFamily}

Slowest single query per run (including the client's retries):

${slowest.join('\n')}

${problems.length ? problems.map(p => `- PROBLEM: ${p}`).join('\n') : `- no problems: every refresh measured every SLO (no stale, no errors), every service resolved to its generated family, stored 30-day counts of a few services (the first two, the last${mix.custom ? ', the first of each custom kind' : ''}) within 1 % of the rates, every SLI within ${MIX_SLI_TOLERANCE} of the generated one${mix.custom ? ', one plan batch per custom query text' : ''}`}
${results.some(r => r.compactions) ? '- Prometheus logged a compaction during the run' : '- Prometheus logged no compaction'}
`;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
