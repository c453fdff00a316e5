import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityHistoryResponse,
  EntitySloReport,
  EntitySlosResponse,
  Finding,
  NTHLAYER_ANNOTATIONS,
  NthlayerService,
  SLI_INTENTS,
  ServiceModelOptions,
  SloDefinition,
  SloHistoryResponse,
  SloSparkline,
  SliResolution,
  buildSloReport,
  computeErrorBudget,
  parseApiTime,
  parseNthlayerService,
  sliCandidateFor,
  sliCandidates,
  sliIntentOf,
  sliPercent,
  sliPreset,
  unresolvedSliMessage,
  windowKey,
} from '@nthlayer/backstage-plugin-common';
import { MeasurementRow } from '../database/MeasurementStore';
import { NthlayerDatabase } from '../database/NthlayerDatabase';
import { ThinnedSnapshot, ThinningRange, snapshotKey } from '../database/SnapshotStore';
import { EntityReader } from './EntityReader';
import { ServiceDefinitions } from './ServiceDefinitions';
import { TtlCache } from './TtlCache';

/** Longest history a request may ask for, and the most points it returns. */
const MAX_HISTORY_DAYS = 400;
const MAX_POINTS = 2000;
/** How far past now `to` may reach (clock skew between browser and backend). */
const MAX_FUTURE_MS = 86_400_000;
/** Earliest `from`: nothing is measured before 2000. */
const MIN_TIME_MS = Date.UTC(2000, 0, 1);
/** Points of a sparkline over the SLO window, and of a chart when no step is asked for. */
const SPARKLINE_POINTS = 60;
const CHART_POINTS = 500;
/**
 * Sparklines and default-range histories change only when a refresh stores a snapshot (they
 * are keyed by the measurement's time); the TTL bounds how far their window may slide.
 */
const DERIVED_TTL_MS = 60_000;
const DERIVED_ENTRIES = 20_000;

type HistoryQuery = { from?: string; to?: string; step?: string };

/** Answers "what are this entity's SLOs, budgets and budget history?". */
export class EntitySloService {
  readonly #entities: EntityReader;
  /** The service model of each entity object the reader hands out (the same one within its TTL). */
  readonly #parsed = new WeakMap<Entity, ReturnType<typeof parseNthlayerService>>();
  readonly #sparklines = new TtlCache<SloSparkline>({ ttlMs: DERIVED_TTL_MS, maxEntries: DERIVED_ENTRIES });
  readonly #histories = new TtlCache<SloHistoryResponse>({ ttlMs: DERIVED_TTL_MS, maxEntries: DERIVED_ENTRIES });
  readonly #answers = new WeakMap<Entity, { version: number; value: Promise<EntitySlosResponse> }>();
  readonly #storedMeasurements = new WeakMap<Entity, { version: number; value: Promise<MeasurementRow[]> }>();

  constructor(
    private readonly deps: {
      /** Reads entities; a plain catalog gets an {@link EntityReader} with the default TTL. */
      entities?: EntityReader;
      catalog?: CatalogService;
      db: NthlayerDatabase;
      model: ServiceModelOptions;
      /** Applies service files and OpenSLO documents; without it, annotations alone. */
      definitions?: ServiceDefinitions;
      minEventRate: number;
      clock?: () => Date;
    },
  ) {
    if (!deps.entities && !deps.catalog) throw new Error('EntitySloService needs entities or catalog');
    this.#entities = deps.entities ?? new EntityReader({ catalog: deps.catalog! });
  }

  /**
   * The entity's SLOs and budgets. One answer per entity object the reader hands out (one
   * caller within `nthlayer.cache.entityTtl`) until this process next writes budget data (a
   * refresh): a page view's requests and repeated views read the store once, and the router
   * serialises the same object once. A refresh on another replica shows here within the
   * entity TTL.
   */
  async getEntitySlos(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntitySlosResponse> {
    const entity = await this.#entity(ref, credentials);
    return this.#perWrite(this.#answers, entity, () => this.#readSlos(entity));
  }

  async #readSlos(entity: Entity): Promise<EntitySlosResponse> {
    const { entityRef, service, findings } = await this.#modelOf(entity);
    if (!service) return { entityRef, service: null, findings, slos: [] };
    const [measurements, sources] = await Promise.all([
      this.#measurements(entity, service.entityRef),
      this.deps.db.sliSources.forEntity(service.entityRef),
    ]);
    const slos = await Promise.all(
      service.slos.map(async (slo): Promise<EntitySloReport> => {
        const measurement = measurements.find(m => m.sloName === slo.name);
        const report = buildSloReport(slo, measurement, { minEventRate: this.deps.minEventRate });
        const sparkline = await this.#sparklines.get(
          derivedKey(service.entityRef, slo, measurement?.measuredAt),
          () => this.#sparkline(service.entityRef, slo),
        );
        // An SLO's own queries are what it is measured from, whatever was resolved for the intent.
        const intent = sliIntentOf(service, slo);
        const resolution = slo.customSli
          ? { intent, chosen: sliCandidateFor(service, slo), tried: [] }
          : sources.get(intent)?.resolution;
        return { ...report, sparkline, ...(resolution ? { measuredFrom: measuredFrom(resolution) } : {}) };
      }),
    );
    const unresolved = SLI_INTENTS[service.type]
      .map(intent => sources.get(intent)?.resolution)
      .filter((r): r is SliResolution => r !== undefined && !r.chosen)
      .map(unresolvedFinding);
    return { entityRef: service.entityRef, service, findings: [...findings, ...unresolved], slos };
  }

  /** The entity's stored measurements, read once per entity object and refresh. */
  #measurements(entity: Entity, entityRef: string): Promise<MeasurementRow[]> {
    return this.#perWrite(this.#storedMeasurements, entity, () => this.deps.db.measurements.listForEntity(entityRef));
  }

  /**
   * `read()` once per entity object until this process writes budget data; a failed read is
   * not kept, so the next request tries again.
   */
  #perWrite<T>(memo: WeakMap<Entity, { version: number; value: Promise<T> }>, entity: Entity, read: () => Promise<T>): Promise<T> {
    const version = this.deps.db.measurements.version;
    const cached = memo.get(entity);
    if (cached?.version === version) return cached.value;
    const value = read();
    memo.set(entity, { version, value });
    value.catch(() => {
      if (memo.get(entity)?.value === value) memo.delete(entity);
    });
    return value;
  }

  /** Every SLO's history in one answer (the Reliability tab's charts), same query as per SLO. */
  async getEntityHistory(
    ref: CompoundEntityRef,
    query: HistoryQuery,
    credentials: BackstageCredentials,
  ): Promise<EntityHistoryResponse> {
    const { entity, entityRef, service } = await this.#model(ref, credentials);
    if (!service) {
      throw new NotFoundError(`${entityRef} is not managed by NthLayer (no usable nthlayer.dev/tier)`);
    }
    const measurements = query.from || query.to ? [] : await this.#measurements(entity, service.entityRef);
    const slos = await Promise.all(
      service.slos.map(slo => this.#history(service, slo, query, measurements.find(m => m.sloName === slo.name)?.measuredAt)),
    );
    // Deploys in the charts' range (the first SLO's; a deploy on the chart's edge still shows).
    const range = slos[0] ? { from: new Date(slos[0].from), to: new Date(slos[0].to) } : {};
    const deployments = await this.deps.db.deployments.listForEntity(service.entityRef, range);
    return { entityRef: service.entityRef, slos, deployments };
  }

  async getSloHistory(
    ref: CompoundEntityRef,
    sloName: string,
    query: { from?: string; to?: string; step?: string },
    credentials: BackstageCredentials,
  ): Promise<SloHistoryResponse> {
    const { entity, service } = await this.#model(ref, credentials);
    const slo = service?.slos.find(s => s.name === sloName);
    if (!service || !slo) {
      throw new NotFoundError(`${stringifyEntityRef(ref)} has no NthLayer SLO "${sloName}"`);
    }
    const measuredAt =
      query.from || query.to
        ? undefined
        : (await this.#measurements(entity, service.entityRef)).find(m => m.sloName === sloName)?.measuredAt;
    return this.#history(service, slo, query, measuredAt);
  }

  /**
   * One SLO's history. The default range (no from/to) is the SLO window ending now and is
   * reused until the next measurement; an explicit range is read every time.
   */
  #history(
    service: NthlayerService,
    slo: SloDefinition,
    query: HistoryQuery,
    measuredAt: string | null | undefined,
  ): Promise<SloHistoryResponse> {
    const read = () => this.#readHistory(service, slo, query);
    if (query.from || query.to) return read();
    return this.#histories.get(`${derivedKey(service.entityRef, slo, measuredAt)}\u0000${query.step ?? ''}`, read);
  }

  async #readHistory(service: NthlayerService, slo: SloDefinition, query: HistoryQuery): Promise<SloHistoryResponse> {
    const now = this.#now();
    const to = parseTime(query.to, 'to') ?? now;
    const from = parseTime(query.from, 'from') ?? new Date(to.getTime() - slo.window.minutes * 60_000);
    if (to.getTime() > now.getTime() + MAX_FUTURE_MS) {
      throw new InputError(`to must be at most one day after now, got ${to.toISOString()}`);
    }
    if (from.getTime() < MIN_TIME_MS) {
      throw new InputError(`from must be in 2000 or later, got ${from.toISOString()}`);
    }
    if (from >= to) throw new InputError('from must be before to');
    if (to.getTime() - from.getTime() > MAX_HISTORY_DAYS * 86_400_000) {
      throw new InputError(`history is limited to ${MAX_HISTORY_DAYS} days per request`);
    }
    const span = (to.getTime() - from.getTime()) / 1000;
    const step = parseStep(query.step) ?? defaultStep(span, CHART_POINTS);
    if (span / step > MAX_POINTS) {
      throw new InputError(`step ${step}s gives more than ${MAX_POINTS} points; use a larger step`);
    }
    const snapshots = await this.deps.db.snapshots.listThinned({
      entityRef: service.entityRef,
      sloName: slo.name,
      window: windowKey(slo.window),
      from,
      to,
      stepSeconds: step,
      maxRows: MAX_POINTS + 1,
    });
    return {
      entityRef: service.entityRef,
      slo: slo.name,
      targetPercent: slo.targetPercent,
      window: slo.window.text,
      from: from.toISOString(),
      to: to.toISOString(),
      step,
      points: snapshots.map(s => {
        const counts = { good: s.goodEvents, total: s.totalEvents };
        const budget = computeErrorBudget(slo.targetPercent, s.windowMinutes, counts);
        return {
          time: s.time.toISOString(),
          goodEvents: s.goodEvents,
          totalEvents: s.totalEvents,
          sli: sliPercent(counts),
          remainingRatio: budget?.remainingRatio ?? null,
          remainingMinutes: budget?.remainingMinutes ?? null,
        };
      }),
    };
  }

  async #sparkline(entityRef: string, slo: SloDefinition): Promise<SloSparkline> {
    const to = this.#now();
    const from = new Date(to.getTime() - slo.window.minutes * 60_000);
    const step = defaultStep((to.getTime() - from.getTime()) / 1000, SPARKLINE_POINTS);
    return {
      window: slo.window.text,
      step,
      points: await this.remainingPoints(entityRef, slo, { from, to, stepSeconds: step, maxRows: SPARKLINE_POINTS + 1 }),
    };
  }

  /**
   * The stored remaining budget of one SLO in [from, to], one point per step (the last
   * snapshot of each), oldest first: the sparkline and the drift task's budget trend.
   */
  async remainingPoints(
    entityRef: string,
    slo: SloDefinition,
    range: ThinningRange,
  ): Promise<RemainingPoint[]> {
    const snapshots = await this.deps.db.snapshots.listThinned({ entityRef, sloName: slo.name, window: windowKey(slo.window), ...range });
    return snapshots.map(s => remainingPoint(slo, s));
  }

  /**
   * {@link EntitySloService.remainingPoints} of many SLOs, read together (a few queries for
   * thousands of SLOs): per entity ref, the points of each of its SLOs by name.
   */
  async remainingPointsMany(
    slos: Array<{ entityRef: string; slo: SloDefinition }>,
    range: ThinningRange,
  ): Promise<Map<string, Map<string, RemainingPoint[]>>> {
    const keys = slos.map(({ entityRef, slo }) => ({ entityRef, sloName: slo.name, window: windowKey(slo.window) }));
    const lists = await this.deps.db.snapshots.listThinnedMany(keys, range);
    const out = new Map<string, Map<string, RemainingPoint[]>>();
    for (const [i, item] of slos.entries()) {
      const k = keys[i];
      const points = (lists.get(snapshotKey(k.entityRef, k.sloName, k.window)) ?? []).map(s => remainingPoint(item.slo, s));
      let ofEntity = out.get(item.entityRef);
      if (!ofEntity) out.set(item.entityRef, (ofEntity = new Map()));
      ofEntity.set(item.slo.name, points);
    }
    return out;
  }

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  async #entity(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<Entity> {
    const entity = await this.#entities.getEntity(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${stringifyEntityRef(ref)} in the catalog`);
    return entity;
  }

  async #model(ref: CompoundEntityRef, credentials: BackstageCredentials) {
    const entity = await this.#entity(ref, credentials);
    return { entity, ...(await this.#modelOf(entity)) };
  }

  async #modelOf(entity: Entity) {
    let parsed = this.#parsed.get(entity);
    if (!parsed) {
      parsed = this.deps.definitions
        ? await this.deps.definitions.define(entity)
        : parseNthlayerService(entity, this.deps.model);
      this.#parsed.set(entity, { service: parsed.service, findings: parsed.findings });
    }
    return { entityRef: stringifyEntityRef(entity), service: parsed.service, findings: parsed.findings } as {
      entityRef: string;
      service: NthlayerService | null;
      findings: EntitySlosResponse['findings'];
    };
  }
}

/** Whole minutes, at least one, giving at most about `points` points over `spanSeconds`. */
function defaultStep(spanSeconds: number, points: number): number {
  return Math.max(60, Math.ceil(spanSeconds / points / 60) * 60);
}

/** One SLO definition's derived data as of one measurement. */
function derivedKey(entityRef: string, slo: SloDefinition, measuredAt: string | null | undefined): string {
  return [entityRef, slo.name, windowKey(slo.window), slo.targetPercent, slo.latency?.thresholdMs ?? '', measuredAt ?? ''].join('\u0000');
}

function parseTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = parseApiTime(value);
  if (!date) {
    throw new InputError(
      `${name} must be an ISO 8601 date or date-time (e.g. 2026-11-30T10:00:00Z) or Unix seconds, got "${value}"`,
    );
  }
  return date;
}

/** At most the longest history: a larger step could only give one point. */
const MAX_STEP_SECONDS = MAX_HISTORY_DAYS * 86_400;

function parseStep(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const step = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(step >= 60 && step <= MAX_STEP_SECONDS)) {
    throw new InputError(
      `step must be a whole number of seconds from 60 to ${MAX_STEP_SECONDS} (${MAX_HISTORY_DAYS} days), got "${value}"`,
    );
  }
  return step;
}

function measuredFrom(r: SliResolution): NonNullable<EntitySloReport['measuredFrom']> {
  // Nothing found: the convention's metric is what the engine queried.
  const candidate = r.chosen ?? sliCandidates(r.intent, 'nthlayer')[0];
  return {
    preset: candidate.preset,
    title: sliPreset(candidate.preset)!.title,
    metric: candidate.metric,
    found: r.chosen !== null,
    pinned: r.pinned !== undefined,
    tried: r.tried,
  };
}

function unresolvedFinding(r: SliResolution): Finding {
  return {
    severity: 'warning',
    annotation: NTHLAYER_ANNOTATIONS.sliPreset,
    value: r.pinned ?? '',
    accepted: `series of one of the metric families NthLayer knows for ${r.intent}`,
    message: unresolvedSliMessage(r),
  };
}

/** One point of an SLO's remaining budget over time (null: no traffic in its window). */
export interface RemainingPoint {
  time: string;
  remainingRatio: number | null;
}

function remainingPoint(slo: SloDefinition, s: ThinnedSnapshot): RemainingPoint {
  return {
    time: s.time.toISOString(),
    remainingRatio:
      computeErrorBudget(slo.targetPercent, s.windowMinutes, { good: s.goodEvents, total: s.totalEvents })?.remainingRatio ?? null,
  };
}
