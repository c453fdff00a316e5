import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BURN_RATE_WINDOWS,
  NthlayerService,
  ServiceModelOptions,
  WindowCounts,
  computeErrorBudget,
  mapLimit,
  parseNthlayerService,
  parsePrometheusDuration,
  resolveWindow,
  windowKey,
} from '@nthlayer/backstage-plugin-common';
import { MeasurementRow } from '../database/MeasurementStore';
import { NthlayerDatabase } from '../database/NthlayerDatabase';
import { StoredSliSource } from '../database/SliSourceStore';
import { Snapshot } from '../database/SnapshotStore';
import { HistoryBackfiller } from './HistoryBackfiller';
import { Counts, LongWindowReader } from './LongWindowReader';
import { PrometheusRegistry } from './PrometheusRegistry';
import { QueryBatch, SloRef, planQueryBatches } from './queryPlan';
import { ServiceDefinitions } from './ServiceDefinitions';
import { SliResolver } from './SliResolver';

/** What one refresh did. */
export interface RefreshSummary {
  startedAt: string;
  durationMs: number;
  entities: number;
  services: number;
  slos: number;
  /** SLOs measured successfully (with or without traffic). */
  measured: number;
  /** SLOs whose measurement failed this time (kept, marked stale). */
  stale: number;
  entitiesWithFindings: number;
  queries: number;
  snapshotsWritten: number;
  backfilledSlos: number;
  errors: string[];
}

export interface BudgetEngineOptions {
  readEntities: () => Promise<Entity[]>;
  prometheus: PrometheusRegistry;
  db: NthlayerDatabase;
  logger: LoggerService;
  model: ServiceModelOptions;
  backfillStepMinutes?: number;
  retentionDays?: number;
  /** Queries in flight at once. Default 4. */
  concurrency?: number;
  /** false: one query pair per SLO (the naive plan, for benchmarks). */
  batch?: boolean;
  /**
   * How windows of whole days are read: 'rollup' (default) sums stored daily counts plus
   * two partial-day queries; 'raw' runs increase() over the whole window.
   */
  longWindows?: 'rollup' | 'raw';
  /**
   * Called after each refresh with every SLO measured (e.g. to notify budget crossings);
   * what it throws is logged, never fails the refresh.
   */
  afterMeasure?: (measured: MeasuredSlo[]) => Promise<void>;
  /**
   * Resolves each service's metric family against Prometheus before measuring; without it
   * every service is measured by this project's convention.
   */
  sliResolver?: SliResolver;
  /**
   * Applies the entities' service files and OpenSLO documents to their services; without
   * it services come from the annotations alone.
   */
  definitions?: ServiceDefinitions;
  clock?: () => Date;
}

/** An SLO measured by a refresh, with its remaining budget ratio (null without traffic). */
export interface MeasuredSlo extends SloRef {
  remainingRatio: number | null;
}


/**
 * Measures every NthLayer SLO against Prometheus: event counts over its window and over
 * the burn-rate windows, stored as the latest measurement and appended as a snapshot. A
 * failed query marks only its SLOs stale; a bad entity only gets findings.
 */
export class BudgetEngine {
  #running: Promise<RefreshSummary> | undefined;
  #last: { summary?: RefreshSummary; failure?: string } = {};
  readonly #backfiller: HistoryBackfiller;
  readonly #longWindows: LongWindowReader;

  constructor(private readonly options: BudgetEngineOptions) {
    this.#longWindows = new LongWindowReader({
      rollups: options.db.rollups,
      raw: (b, seconds, at) => this.#rawCounts(b, `${seconds}s`, at),
      client: b => options.prometheus.get(b.instance),
    });
    this.#backfiller = new HistoryBackfiller({
      prometheus: options.prometheus,
      snapshots: options.db.snapshots,
      longWindows: this.#longWindows,
      useDays: options.longWindows !== 'raw',
      stepMinutes: options.backfillStepMinutes ?? 60,
      concurrency: options.concurrency ?? 4,
    });
  }

  /** Runs a refresh; concurrent callers in this process share the one in flight. */
  refresh(): Promise<RefreshSummary> {
    if (!this.#running) {
      this.#running = this.#refresh()
        .then(
          summary => {
            this.#last = { summary };
            return summary;
          },
          error => {
            this.#last = { ...this.#last, failure: (error as Error).message };
            throw error;
          },
        )
        .finally(() => {
          this.#running = undefined;
        });
    }
    return this.#running;
  }

  /** The last completed refresh in this process, and the last failure since. */
  lastRefresh(): { summary: RefreshSummary | null; failure: string | null } {
    return { summary: this.#last.summary ?? null, failure: this.#last.failure ?? null };
  }

  /** Parses entities into services; bad entities only count as having findings. */
  parse(entities: Entity[]): { services: NthlayerService[]; withFindings: number } {
    const services: NthlayerService[] = [];
    let withFindings = 0;
    for (const entity of entities) {
      try {
        const { service, findings } = parseNthlayerService(entity, this.options.model);
        if (findings.length) withFindings++;
        if (service) services.push(service);
      } catch (e) {
        withFindings++;
        this.options.logger.warn(`NthLayer could not read ${stringifyEntityRef(entity)}: ${e}`);
      }
    }
    return { services, withFindings };
  }

  /** Like {@link BudgetEngine.parse}, with each entity's documents read and applied. */
  async define(entities: Entity[]): Promise<{ services: NthlayerService[]; withFindings: number }> {
    const definitions = this.options.definitions;
    if (!definitions) return this.parse(entities);
    let failed = 0;
    const defined = await definitions.defineAll(entities, {
      onError: (entity, e) => {
        failed++;
        this.options.logger.warn(`NthLayer could not read ${stringifyEntityRef(entity)}: ${e}`);
      },
    });
    const services = defined.flatMap(d => (d.service ? [d.service] : []));
    return { services, withFindings: failed + defined.filter(d => d.findings.length > 0).length };
  }

  /**
   * The services of these entities with the metric sources the last refresh resolved (none
   * are resolved again): what the ledger reads the 5-minute buckets of.
   */
  async definedWithStoredSources(entities: Entity[]): Promise<NthlayerService[]> {
    const { services } = await this.define(entities);
    if (!this.options.sliResolver) return services;
    return mapLimit(services, this.options.concurrency ?? 4, async service => {
      const previous = await this.options.db.sliSources.forEntity(service.entityRef);
      return SliResolver.apply(service, [...previous.values()].map(p => p.resolution));
    });
  }

  async #refresh(): Promise<RefreshSummary> {
    const { logger, prometheus, db } = this.options;
    const now = this.options.clock?.() ?? new Date();
    const started = Date.now();
    const queriesBefore = prometheus.queryCount;
    const entities = await this.options.readEntities();
    const parsed = await this.define(entities);
    const { withFindings } = parsed;
    const services = this.options.sliResolver ? await this.#resolveSources(parsed.services, now) : parsed.services;
    const concurrency = this.options.concurrency ?? 4;
    const batch = this.options.batch;

    // Keyed by sloKey: the window and burn plans hold different SloRef objects.
    const failures = new Map<string, { ref: SloRef; error: string }>();
    const fail = (ref: SloRef, e: unknown) =>
      failures.set(sloKey(ref), { ref, error: (e as Error).message });
    const windowCounts = new Map<SloRef, { good: number; total: number; minutes: number }>();
    await mapLimit(planQueryBatches(services, { batch }), concurrency, async b => {
      const resolved = resolveWindow(b.members[0].slo.window, now);
      try {
        const counts = await this.#counts(b, resolved.range, now);
        for (const ref of b.members) {
          const c = counts.get(memberKey(b, ref)) ?? { good: 0, total: 0 };
          windowCounts.set(ref, { ...c, minutes: resolved.periodMinutes });
        }
      } catch (e) {
        for (const ref of b.members) fail(ref, e);
      }
    });

    // Burn rates: batches ignore the SLO window; each costs one pair per burn window.
    const shortWindows = new Map<string, WindowCounts[]>();
    const burnJobs = planQueryBatches(services, { ignoreWindow: true, batch }).flatMap(b =>
      BURN_RATE_WINDOWS.map(window => ({ b, window })),
    );
    await mapLimit(burnJobs, concurrency, async ({ b, window }) => {
      try {
        const counts = await this.#counts(b, window, now);
        for (const ref of b.members) {
          const c = counts.get(memberKey(b, ref)) ?? { good: 0, total: 0 };
          const key = sloKey(ref);
          const list = shortWindows.get(key) ?? [];
          list.push({ window, goodEvents: c.good, totalEvents: c.total });
          shortWindows.set(key, list);
        }
      } catch (e) {
        for (const ref of b.members) fail(ref, e);
      }
    });

    const measured: MeasurementRow[] = [];
    const snapshots: Snapshot[] = [];
    const snapshotTime = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    for (const [ref, c] of windowCounts) {
      if (failures.has(sloKey(ref))) continue;
      const id = rowIdentity(ref, c.minutes);
      measured.push({
        ...id,
        goodEvents: c.good,
        totalEvents: c.total,
        shortWindows: sortWindows(shortWindows.get(sloKey(ref)) ?? []),
        measuredAt: now.toISOString(),
        stale: false,
        error: null,
      });
      snapshots.push({
        entityRef: id.entityRef,
        sloName: id.sloName,
        window: id.window,
        windowMinutes: c.minutes,
        thresholdMs: id.thresholdMs,
        time: snapshotTime,
        goodEvents: c.good,
        totalEvents: c.total,
        source: 'refresh',
      });
    }

    // History first (this refresh's snapshots and, on first sight, the backfill), then the
    // measurements: readers key sparklines and default-range histories by a measurement's
    // time, so a new measurement must never be visible before the history it belongs to.
    const measuredRefs = [...windowCounts.keys()].filter(ref => !failures.has(sloKey(ref)));
    const backfilled = await this.#backfiller
      .backfillNew(measuredRefs, now)
      .catch(e => {
        logger.warn(`NthLayer history backfill failed (will retry next refresh): ${e}`);
        return 0;
      });
    await db.snapshots.append(snapshots);
    await db.measurements.upsert(measured, now);
    const errors = [...new Set([...failures.values()].map(f => f.error))];
    for (const error of errors) {
      const refs = [...failures.values()].filter(f => f.error === error).map(f => f.ref);
      await db.measurements.markStale(
        refs.map(ref => rowIdentity(ref, ref.slo.window.minutes)),
        error,
        now,
      );
      logger.warn(`NthLayer budget refresh: ${refs.length} SLO(s) left stale: ${error}`);
    }

    if (this.options.afterMeasure) {
      const results: MeasuredSlo[] = measuredRefs.map(ref => {
        const c = windowCounts.get(ref)!;
        const budget = computeErrorBudget(ref.slo.targetPercent, c.minutes, c);
        return { ...ref, remainingRatio: budget?.remainingRatio ?? null };
      });
      await this.options.afterMeasure(results).catch(e => logger.warn(`NthLayer could not process measured budgets: ${e}`));
    }

    if (this.options.retentionDays) {
      const cutoff = new Date(now.getTime() - this.options.retentionDays * 86_400_000);
      await db.snapshots.deleteOlderThan(cutoff);
      await db.rollups.deleteBefore(cutoff.toISOString().slice(0, 10));
    }

    const summary: RefreshSummary = {
      startedAt: now.toISOString(),
      durationMs: Date.now() - started,
      entities: entities.length,
      services: services.length,
      slos: services.reduce((n, s) => n + s.slos.length, 0),
      measured: measured.length,
      stale: failures.size,
      entitiesWithFindings: withFindings,
      queries: prometheus.queryCount - queriesBefore,
      snapshotsWritten: snapshots.length,
      backfilledSlos: backfilled,
      errors,
    };
    logger.info(
      `NthLayer budget refresh: ${summary.services} services, ${summary.measured}/${summary.slos} SLOs measured with ${summary.queries} queries in ${summary.durationMs} ms`,
    );
    return summary;
  }

  /**
   * Each service with the metric family it is measured from. Resolutions are stored for the
   * card and the generators; a service whose resolution failed (Prometheus down) keeps the
   * sources stored last time.
   */
  async #resolveSources(services: NthlayerService[], now: Date): Promise<NthlayerService[]> {
    const { db, logger } = this.options;
    const resolver = this.options.sliResolver!;
    const stored: StoredSliSource[] = [];
    let failed = 0;
    const resolved = await mapLimit(services, this.options.concurrency ?? 4, async service => {
      try {
        const resolutions = await resolver.resolve(service);
        for (const resolution of resolutions) stored.push({ entityRef: service.entityRef, resolution, resolvedAt: now.toISOString() });
        return SliResolver.apply(service, resolutions);
      } catch {
        failed++;
        const previous = await db.sliSources.forEntity(service.entityRef);
        return SliResolver.apply(service, [...previous.values()].map(p => p.resolution));
      }
    });
    await db.sliSources.upsert(stored);
    if (failed) logger.warn(`NthLayer could not resolve the metrics of ${failed} service(s); their last known sources are used`);
    return resolved;
  }

  async #counts(b: QueryBatch, range: string, now: Date): Promise<Counts> {
    const seconds = rangeSeconds(range);
    if (this.options.longWindows !== 'raw' && seconds && LongWindowReader.handles(seconds)) {
      return this.#longWindows.counts(b, seconds, now);
    }
    return this.#rawCounts(b, range, now);
  }

  async #rawCounts(b: QueryBatch, range: string, now: Date): Promise<Counts> {
    const client = this.options.prometheus.get(b.instance);
    const { good, total } = b.queries(range);
    const [goodSamples, totalSamples] = await Promise.all([
      client.queryVector(good, now),
      client.queryVector(total, now),
    ]);
    const counts: Counts = new Map();
    const add = (samples: typeof goodSamples, field: 'good' | 'total') => {
      for (const sample of samples) {
        if (!Number.isFinite(sample.value)) continue;
        const key = b.byService ? sample.labels[b.label] ?? '' : '';
        const c = counts.get(key) ?? { good: 0, total: 0 };
        c[field] += sample.value;
        counts.set(key, c);
      }
    };
    add(goodSamples, 'good');
    add(totalSamples, 'total');
    return counts;
  }
}

function rangeSeconds(range: string): number | undefined {
  const ms = parsePrometheusDuration(range);
  return ms === undefined ? undefined : ms / 1000;
}

function memberKey(b: QueryBatch, ref: SloRef): string {
  return b.byService ? ref.service.name : '';
}

function sloKey(ref: SloRef): string {
  return `${ref.service.entityRef}\u0000${ref.slo.name}`;
}

function sortWindows(list: WindowCounts[]): WindowCounts[] {
  const order = BURN_RATE_WINDOWS as readonly string[];
  return [...list].sort((a, b) => order.indexOf(a.window) - order.indexOf(b.window));
}

function rowIdentity({ service, slo }: SloRef, windowMinutes: number) {
  return {
    entityRef: service.entityRef,
    sloName: slo.name,
    sloKind: slo.kind,
    window: windowKey(slo.window),
    windowMinutes,
    thresholdMs: slo.latency?.thresholdMs ?? null,
  };
}
