import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  NthlayerService,
  SERVICE_LABEL,
  ServiceTier,
  SliQueries,
  SloDefinition,
  TierDefaults,
  batchedSliQueries,
  parseNthlayerService,
  serviceSliQueries,
  sliBatchKey,
} from '@internal/plugin-nthlayer-common';
import { MeasurementRow, MeasurementStore } from '../database/MeasurementStore';
import { PrometheusClient } from './PrometheusClient';

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
  errors: string[];
}

interface SloRef {
  service: NthlayerService;
  slo: SloDefinition;
}

/** A set of SLOs measured with one good/total query pair. */
interface QueryBatch {
  queries: SliQueries;
  members: SloRef[];
  /** Batched queries are keyed by the service label; single ones have one member. */
  byService: boolean;
}

/** Groups SLOs so that the number of queries depends on the SLO kinds, not on the services. */
export function planQueryBatches(services: NthlayerService[]): QueryBatch[] {
  const batches = new Map<string, QueryBatch>();
  const singles: QueryBatch[] = [];
  for (const service of services) {
    for (const slo of service.slos) {
      if (!service.defaultSelector) {
        singles.push({
          queries: serviceSliQueries(service, slo),
          members: [{ service, slo }],
          byService: false,
        });
        continue;
      }
      const key = sliBatchKey(service, slo);
      let batch = batches.get(key);
      if (!batch) {
        batch = { queries: batchedSliQueries(service, slo), members: [], byService: true };
        batches.set(key, batch);
      }
      batch.members.push({ service, slo });
    }
  }
  return [...batches.values(), ...singles];
}

/**
 * Measures every NthLayer SLO against Prometheus and stores the event counts. A failed
 * query marks only its SLOs stale; a bad entity only gets findings.
 */
export class BudgetEngine {
  #running: Promise<RefreshSummary> | undefined;
  #last: { summary?: RefreshSummary; failure?: string } = {};

  constructor(
    private readonly deps: {
      readEntities: () => Promise<Entity[]>;
      prometheus: PrometheusClient;
      store: MeasurementStore;
      logger: LoggerService;
      tiers: Record<ServiceTier, TierDefaults>;
      clock?: () => Date;
    },
  ) {}

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

  async #refresh(): Promise<RefreshSummary> {
    const { logger, prometheus, store } = this.deps;
    const now = this.deps.clock?.() ?? new Date();
    const started = Date.now();
    const queriesBefore = prometheus.queryCount;
    const entities = await this.deps.readEntities();

    const services: NthlayerService[] = [];
    let entitiesWithFindings = 0;
    for (const entity of entities) {
      try {
        const { service, findings } = parseNthlayerService(entity, { tiers: this.deps.tiers });
        if (findings.length) entitiesWithFindings++;
        if (service) services.push(service);
      } catch (e) {
        // parseNthlayerService does not throw on bad values; this guards the unexpected.
        entitiesWithFindings++;
        logger.warn(`NthLayer could not read ${stringifyEntityRef(entity)}: ${e}`);
      }
    }

    const measured: MeasurementRow[] = [];
    const failed: Array<{ refs: SloRef[]; error: string }> = [];
    for (const batch of planQueryBatches(services)) {
      try {
        const [good, total] = await Promise.all([
          this.#counts(batch, batch.queries.good, now),
          this.#counts(batch, batch.queries.total, now),
        ]);
        for (const { service, slo } of batch.members) {
          const key = batch.byService ? service.name : '';
          measured.push({
            ...rowIdentity({ service, slo }),
            goodEvents: good.get(key) ?? 0,
            totalEvents: total.get(key) ?? 0,
            measuredAt: now.toISOString(),
            stale: false,
            error: null,
          });
        }
      } catch (e) {
        failed.push({ refs: batch.members, error: (e as Error).message });
      }
    }

    await store.upsert(measured, now);
    const errors = [...new Set(failed.map(f => f.error))];
    for (const error of errors) {
      const refs = failed.filter(f => f.error === error).flatMap(f => f.refs);
      await store.markStale(refs.map(rowIdentity), error, now);
      logger.warn(`NthLayer budget refresh: ${refs.length} SLO(s) left stale: ${error}`);
    }

    const summary: RefreshSummary = {
      startedAt: now.toISOString(),
      durationMs: Date.now() - started,
      entities: entities.length,
      services: services.length,
      slos: services.reduce((n, s) => n + s.slos.length, 0),
      measured: measured.length,
      stale: failed.reduce((n, f) => n + f.refs.length, 0),
      entitiesWithFindings,
      queries: prometheus.queryCount - queriesBefore,
      errors,
    };
    logger.info(
      `NthLayer budget refresh: ${summary.services} services, ${summary.measured}/${summary.slos} SLOs measured with ${summary.queries} queries in ${summary.durationMs} ms`,
    );
    return summary;
  }

  async #counts(batch: QueryBatch, query: string, now: Date): Promise<Map<string, number>> {
    const samples = await this.deps.prometheus.queryVector(query, now);
    const counts = new Map<string, number>();
    for (const sample of samples) {
      if (!Number.isFinite(sample.value)) continue;
      const key = batch.byService ? sample.labels[SERVICE_LABEL] ?? '' : '';
      counts.set(key, (counts.get(key) ?? 0) + sample.value);
    }
    return counts;
  }
}

function rowIdentity({ service, slo }: SloRef) {
  return {
    entityRef: service.entityRef,
    sloName: slo.name,
    sloKind: slo.kind,
    window: slo.window.text,
    thresholdMs: slo.latency?.thresholdMs ?? null,
  };
}
