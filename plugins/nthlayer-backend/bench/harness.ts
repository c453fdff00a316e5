/*
 * Shared by the benchmarks that run the real demo backend (bench/api.ts, bench/gates.ts):
 * options, the synthetic catalog, seeding the NthLayer SQLite database, starting and stopping
 * packages/backend, signing in as the demo's guest user, and a few measurement helpers.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_TIERS,
  NthlayerService,
  detectBurnEpisodes,
  parseNthlayerService,
  windowKey,
} from '@nthlayer/backstage-plugin-common';
import { freePort } from '@internal/nthlayer-test-utils';
import knexFactory from 'knex';
import { NthlayerDatabase, createNthlayerDatabase } from '../src/database/NthlayerDatabase';
import { Snapshot } from '../src/database/SnapshotStore';

export const REPO = resolve(__dirname, '../../..');

/** `--name value` on the command line, else BENCH_NAME (`_` → `-` in the flag). */
export function option(name: string): string | undefined {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
  const i = process.argv.indexOf(flag);
  if (i >= 0) return process.argv[i + 1];
  return process.env[`BENCH_${name}`];
}

const model = { tiers: DEFAULT_TIERS, defaultTimeZone: 'UTC', prometheusInstances: ['default'] };

export function entityName(i: number) {
  return `bench-svc-${String(i).padStart(5, '0')}`;
}

/** Tier 1, 2, 3 in turn. */
export function benchTier(i: number): 1 | 2 | 3 {
  return ((i % 3) + 1) as 1 | 2 | 3;
}

export function benchEntity(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entityName(i),
      namespace: 'default',
      annotations: { 'nthlayer.dev/tier': String(benchTier(i)), 'nthlayer.dev/type': 'api' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: `group:default/team-${i % 50}` },
  };
}

/** The `hot` entities the load opens, spread evenly over the catalog of `entities`. */
export function hotIndexes(entities: number, hot: number): number[] {
  return Array.from({ length: hot }, (_, k) => Math.floor((k * entities) / hot));
}

/** api.ts's error ratio: 0.02 % – 0.14 % by index. */
export const defaultErrorRatio = (i: number) => 0.0002 * (1 + (i % 7));

export interface SeedOptions {
  entities: number;
  /** Indexes with a 30-day history at a 5-minute step (the others: a day, hourly). */
  hot: number[];
  /** The entity's error ratio (every SLO, every window); default {@link defaultErrorRatio}. */
  errorRatio?: (i: number) => number;
}

/**
 * Writes a measurement per SLO and its history for every entity into `dir/nthlayer.sqlite`,
 * the file the backend opens for the nthlayer plugin (database `directory: dir`).
 */
export async function seed(dir: string, now: Date, options: SeedOptions) {
  const errorRatioOf = options.errorRatio ?? defaultErrorRatio;
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'nthlayer.sqlite') },
    useNullAsDefault: true,
    // Seeding only: no fsync per batch.
    pool: { afterCreate: (conn: any, done: any) => done(null, conn.pragma('synchronous = OFF')) },
  });
  const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
  const hot = new Set(options.hot);
  let snapshots: Snapshot[] = [];
  const measurements = [];
  let stored = 0;
  let episodes = 0;
  const flush = async () => {
    await db.snapshots.append(snapshots);
    stored += snapshots.length;
    snapshots = [];
  };
  for (let i = 0; i < options.entities; i++) {
    const { service } = parseNthlayerService(benchEntity(i), model);
    const errorRatio = errorRatioOf(i);
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
    episodes += await seedLedger(db, service!, i, now);
    if (snapshots.length >= 20_000) await flush();
  }
  await flush();
  await db.measurements.upsert(measurements as any, now);
  await knex.destroy();
  return { measurements: measurements.length, snapshots: stored, episodes };
}

/**
 * What 30 days of the ledger task store for a service: per SLO three burn episodes (1, 3 and
 * 5 hours of 5-minute buckets at a burn rate of 20), four deploys (one where the first episode
 * begins) and an incident during the second; the cursor at `now`. Returns the episodes written.
 */
async function seedLedger(db: NthlayerDatabase, service: NthlayerService, i: number, now: Date): Promise<number> {
  const nowMs = Math.floor(now.getTime() / 300_000) * 300_000;
  const day = 86_400_000;
  const starts = [27, 15, 4].map(d => nowMs - d * day - (i % 24) * 3_600_000);
  for (const [k, at] of [starts[0], nowMs - 22 * day, nowMs - 9 * day, nowMs - 2 * day].entries()) {
    await db.deployments.upsert({
      entityRef: service.entityRef, version: `v1.${k}.0`, commit: null, author: 'bench', startedAt: new Date(at).toISOString(),
      finishedAt: null, status: 'succeeded', source: 'bench', url: null, labels: [], recordedBy: 'user:default/bench', recordedAt: new Date(at).toISOString(),
    });
  }
  await db.incidents.upsert({
    id: `BENCH${i}`, entityRef: service.entityRef, serviceId: `PB${i}`, number: i, title: 'bench incident', status: 'resolved',
    createdAt: new Date(starts[1] + 1_200_000).toISOString(), resolvedAt: new Date(starts[1] + 7_200_000).toISOString(),
    updatedAt: new Date(starts[1] + 7_200_000).toISOString(), source: 'webhook',
  });
  let written = 0;
  for (const slo of service.slos) {
    const allowed = 1 - slo.targetPercent / 100;
    const episodes = starts.map((start, k) => {
      const buckets = Array.from({ length: [12, 36, 60][k] }, (_, b) => ({ end: start + (b + 1) * 300_000, good: 6000 * (1 - 20 * allowed), total: 6000 }));
      return detectBurnEpisodes(buckets, { sloName: slo.name, targetPercent: slo.targetPercent })[0];
    });
    await db.ledger.advance(service.entityRef, slo.name, { replacesOpenStart: null, episodes, cursor: nowMs });
    written += episodes.length;
  }
  return written;
}

// ---- backend -------------------------------------------------------------------------------

/**
 * Writes the catalog file and a bench config into `dir`, then starts packages/backend
 * (`yarn start`, app-config.yaml + the bench config) in its own process group.
 */
export async function startBackend(
  dir: string,
  port: number,
  options: { entities: number; profile?: string },
): Promise<ChildProcess> {
  writeFileSync(
    join(dir, 'catalog.yaml'),
    Array.from({ length: options.entities }, (_, i) => JSON.stringify(benchEntity(i))).join('\n---\n'),
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
      // The demo's tech-insights retriever reads every entity every 5 minutes: not while measuring.
      techInsights: { factRetrievers: { nthlayerFactRetriever: { cadence: '0 0 1 1 *' } } },
      nthlayer: {
        // Nothing listens there: the bench reads what is stored, and no task runs while it
        // measures (app-config.yaml runs the demo's drift, graph and ledger every minute).
        prometheus: { baseUrl: 'http://127.0.0.1:9' },
        schedule: { frequency: { hours: 24 }, timeout: { minutes: 3 }, initialDelay: { hours: 24 } },
        drift: { schedule: { frequency: { hours: 24 }, timeout: { minutes: 3 }, initialDelay: { hours: 24 } } },
        graph: { schedule: { frequency: { hours: 24 }, timeout: { minutes: 3 }, initialDelay: { hours: 24 } } },
        ledger: { schedule: { frequency: { hours: 24 }, timeout: { minutes: 3 }, initialDelay: { hours: 24 } } },
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
        // profile=dir writes a V8 CPU profile of the backend there on exit.
        ...(options.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${options.profile}` } : {}),
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

/** SIGINT to the backend's process group, then `waitMs` for it to go (api.ts's way). */
export async function stopBackend(backend: ChildProcess, waitMs: number) {
  try {
    process.kill(-backend.pid!, 'SIGINT');
  } catch {
    // gone
  }
  await new Promise(r => setTimeout(r, waitMs));
}

/**
 * SIGINT to the backend's process group; waits until no process of the group is left (up
 * to `seconds`), then SIGKILLs what remains. True when the group went on its own.
 */
export async function stopBackendAndWait(backend: ChildProcess, seconds: number): Promise<boolean> {
  const alive = () => {
    try {
      process.kill(-backend.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-backend.pid!, 'SIGINT');
  } catch {
    return true;
  }
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (!alive()) return true;
    await new Promise(r => setTimeout(r, 200));
  }
  try {
    process.kill(-backend.pid!, 'SIGKILL');
  } catch {
    // gone
  }
  await new Promise(r => setTimeout(r, 500));
  return false;
}

export async function waitFor(what: string, seconds: number, probe: () => Promise<boolean>) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

/** Signs in as the demo's guest user; the Backstage token. */
export async function guestToken(base: string): Promise<string> {
  const tokenRes = await fetch(`${base}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  return (await tokenRes.json()).backstageIdentity.token as string;
}

/** Waits until the catalog holds `entities` entities with nthlayer.dev/tier; seconds taken. */
export async function waitForCatalog(base: string, token: string, entities: number): Promise<number> {
  const t1 = Date.now();
  await waitFor(`the catalog to ingest ${entities} entities`, 1800, async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-query?filter=metadata.annotations.nthlayer.dev/tier&limit=1&fields=metadata.name`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    return (await res.json()).totalItems >= entities;
  });
  return (Date.now() - t1) / 1000;
}

/** Peak RSS (VmHWM) of the largest process in the tree below `pid`, in MiB. */
export function peakRssMiB(pid: number): number {
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

export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The short commit, "+ uncommitted changes" when the tracked files differ; or "unknown". */
export function commitDescription(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

// ---- Prometheus ----------------------------------------------------------------------------

const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';

/** A Prometheus started by {@link startPrometheus}. */
export interface Prometheus {
  baseUrl: string;
  pid: number;
  log: () => string;
  stop(): Promise<void>;
}

/** Starts Prometheus on `dataDir` (backfilled blocks, no scraping), ready to query. */
export async function startPrometheus(dir: string, dataDir: string): Promise<Prometheus> {
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const proc: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=3650d',
      // No background compaction of the backfilled blocks while we measure.
      '--storage.tsdb.min-block-duration=2h',
      '--storage.tsdb.max-block-duration=2h',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', d => (output += d));
  proc.stderr?.on('data', d => (output += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited: ${output.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`prometheus not ready: ${output.slice(-2000)}`);
    try {
      if ((await fetch(`${baseUrl}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 200));
  }
  return {
    baseUrl,
    pid: proc.pid!,
    log: () => output,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise(r => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Peak RSS (VmHWM) of a process since the last reset, in MB; reset via clear_refs "5". */
export function resetPeak(pid: number | 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
export function peakMb(pid: number | 'self'): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
