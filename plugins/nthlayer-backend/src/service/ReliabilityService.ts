import { AuthService, BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  CompoundEntityRef,
  Entity,
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import {
  BlastRadiusResponse,
  DependencyGraph,
  DependencyGraphEntity,
  EntityDependenciesResponse,
  EntitySloReport,
  GateInput,
  GateVerdict,
  NTHLAYER_ANNOTATIONS,
  NeighbourhoodDirection,
  PortfolioResponse,
  PortfolioServiceInput,
  ScoreHistoryResponse,
  ServiceTier,
  blastRadius,
  buildDependencyGraph,
  buildPortfolio,
  dependencyNeighbourhood,
  graphData,
  indexDependencyGraph,
  mapLimit,
  parseTier,
  worstBudgetStatus,
} from '@nthlayer/backstage-plugin-common';
import { NthlayerDatabase } from '../database/NthlayerDatabase';
import { ReliabilitySnapshotData } from '../database/ReliabilityStore';
import { ArtifactService } from './ArtifactService';
import { DependencyDiscovery } from './DependencyDiscovery';
import { EntityReader } from './EntityReader';
import { GateService } from './GateService';
import { IncidentService } from './IncidentService';
import { JsonAnswer, jsonAnswer } from './jsonAnswer';

const DAY_MS = 86_400_000;
/** Incidents and deployments are scored over the last 30 days. */
const SCORE_WINDOW_DAYS = 30;
/** Daily scores kept. */
const SCORE_RETENTION_DAYS = 400;
/** How often a replica looks for a newer stored snapshot. */
const SNAPSHOT_RECHECK_MS = 5_000;
const MAX_DEPTH = 5;
/** Portfolios kept (per snapshot, filters and visible set). */
const PORTFOLIO_CACHE_ENTRIES = 50;

/** A portfolio as served: the response, its JSON, an ETag and the JSON gzipped (on demand, once). */
export interface PortfolioAnswer extends JsonAnswer {
  portfolio: PortfolioResponse;
}

/** What one run of the reliability task did. */
export interface ReliabilityRunSummary {
  entities: number;
  services: number;
  edges: number;
  findings: number;
  failed: number;
  discovered: number | null;
  durationMs: number;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function specRef(entity: Entity, field: string, defaultKind: string): string | null {
  const raw = (entity.spec as Record<string, unknown> | undefined)?.[field];
  if (typeof raw !== 'string' || !raw.trim()) return null;
  try {
    return stringifyEntityRef(parseEntityRef(raw, { defaultKind, defaultNamespace: entity.metadata.namespace ?? 'default' }));
  } catch {
    return null;
  }
}

/**
 * The dependency graph, blast radius, scores and portfolio. A scheduled task builds one
 * snapshot of everything (catalog relations in one stream, discovered edges, every managed
 * service's budgets, gate verdict, incidents, deployments and drift) and stores it with the
 * day's scores; requests read the stored snapshot, so every replica answers the same.
 */
export class ReliabilityService {
  #cached?: { builtAt: string; graph: DependencyGraph; data: ReliabilitySnapshotData; checkedAt: number };
  #loading?: Promise<void>;
  readonly #portfolios = new Map<string, PortfolioAnswer>();
  /** `blast.*` of each entity asked about, for the current snapshot (a gate check asks often). */
  readonly #blastSummaries = new Map<string, NonNullable<GateInput['blast']>>();
  readonly #past = new Map<string, Promise<Map<string, number | null>>>();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      entities: EntityReader;
      gates: GateService;
      artifacts: ArtifactService;
      incidents: IncidentService;
      db: NthlayerDatabase;
      discovery?: DependencyDiscovery;
      lookbackLabel: string;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {}

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  /** Builds and stores the snapshot and today's scores. */
  async run(): Promise<ReliabilityRunSummary> {
    const started = Date.now();
    const now = this.#now();
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const entities = await this.#readCatalog(credentials);
    const since = new Date(now.getTime() - SCORE_WINDOW_DAYS * DAY_MS);
    const [incidentStats, deploymentCounts, driftCritical, discovered] = await Promise.all([
      this.deps.db.incidents.statsSince(since),
      this.deps.db.deployments.statusCountsSince(since),
      this.deps.db.drift.allCriticalCounts(),
      this.deps.discovery?.discover(now),
    ]);
    const errors: ReliabilitySnapshotData['errors'] = [];
    const managed = entities.filter(e => e.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier]);
    const states = new Map<string, { slos: EntitySloReport[]; verdict: GateVerdict; tier: ServiceTier; details: DependencyGraphEntity['dependencyDetails'] }>();
    await mapLimit(managed, 8, async entity => {
      const ref = stringifyEntityRef(entity);
      try {
        const [{ verdict, slos }, generated] = await Promise.all([
          this.deps.gates.currentState(parseEntityRef(ref), credentials),
          this.deps.artifacts.generateFor(entity, credentials),
        ]);
        if (!slos.service) throw new Error(slos.findings.map(f => f.message).join(' ') || 'not a usable NthLayer service');
        const details: DependencyGraphEntity['dependencyDetails'] = {};
        for (const d of generated.dependencies ?? []) {
          details[d.ref] = { availabilityPercent: d.availabilityPercent ?? null, ...(d.critical === undefined ? {} : { critical: d.critical }) };
        }
        states.set(ref, { slos: slos.slos, verdict, tier: slos.service.tier, details });
      } catch (error) {
        errors.push({ entityRef: ref, error: (error as Error).message });
      }
    });

    const graphEntities: DependencyGraphEntity[] = entities.map(entity => {
      const ref = stringifyEntityRef(entity);
      const state = states.get(ref);
      const remaining = state?.slos.map(s => s.errorBudget?.remainingRatio).filter((r): r is number => typeof r === 'number') ?? [];
      const availability = state?.slos.find(s => s.kind === 'availability');
      return {
        entityRef: ref,
        kind: entity.kind,
        name: entity.metadata.name,
        ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
        managed: Boolean(entity.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier]),
        tier: state?.tier ?? parseTier(entity.metadata.annotations?.[NTHLAYER_ANNOTATIONS.tier] ?? '') ?? null,
        owner: specRef(entity, 'owner', 'group'),
        system: specRef(entity, 'system', 'system'),
        dependsOn: dependsOn(entity),
        status: state ? worstBudgetStatus(state.slos.map(s => s.status)) : null,
        minRemainingRatio: remaining.length ? Math.min(...remaining) : null,
        gateVerdict: state?.verdict ?? null,
        availabilityTargetPercent: availability?.targetPercent ?? null,
        dependencyDetails: state?.details,
      };
    });
    const graph = buildDependencyGraph({ entities: graphEntities, discovered, lookbackLabel: this.deps.lookbackLabel });

    const services: PortfolioServiceInput[] = [];
    graphEntities.forEach((e, i) => {
      const state = states.get(e.entityRef);
      if (!state) return;
      const entity = entities[i];
      services.push({
        entityRef: e.entityRef,
        name: e.name,
        ...(e.title ? { title: e.title } : {}),
        tier: state.tier,
        owner: e.owner,
        system: e.system,
        gateVerdict: state.verdict,
        driftCritical: driftCritical.get(e.entityRef) ?? null,
        scoreInput: {
          tier: state.tier,
          slos: state.slos.map(s => ({
            name: s.name,
            kind: s.kind,
            targetPercent: s.targetPercent,
            sli: s.sli,
            status: s.status,
            remainingRatio: s.errorBudget?.remainingRatio ?? null,
            goodEvents: s.goodEvents,
            totalEvents: s.totalEvents,
          })),
          incidents: this.deps.incidents.isMapped(e.entityRef, entity?.metadata.annotations)
            ? incidentStats.get(e.entityRef) ?? { count: 0, open: 0, resolved: 0, mttrMinutes: null }
            : null,
          deployments: deploymentCounts.get(e.entityRef) ?? { succeeded: 0, failed: 0, rolledBack: 0 },
          dependencies: (graph.outgoing.get(e.entityRef) ?? [])
            .map(edge => graph.nodes.get(edge.to)!)
            .filter(n => n.managed)
            .map(n => ({ ref: n.entityRef, status: n.status })),
        },
      });
    });
    const data: ReliabilitySnapshotData = { graph: graphData(graph), services, errors };
    await this.deps.db.reliability.saveSnapshot(now, data);
    await this.#storeScores(now, services);
    this.#cached = { builtAt: now.toISOString(), graph, data, checkedAt: Date.now() };
    this.#portfolios.clear();
    this.#blastSummaries.clear();
    for (const e of errors) this.deps.logger.warn(`NthLayer could not score ${e.entityRef}: ${e.error}`);
    return {
      entities: entities.length,
      services: services.length,
      edges: graph.edges.length,
      findings: graph.findings.length,
      failed: errors.length,
      discovered: discovered ? discovered.length : null,
      durationMs: Date.now() - started,
    };
  }

  async #storeScores(now: Date, services: PortfolioServiceInput[]): Promise<void> {
    const portfolio = buildPortfolio({ services, generatedAt: now.toISOString() });
    const rows = [
      ...portfolio.services.map(s => ({ ref: s.entityRef, score: s.score })),
      ...portfolio.teams.map(t => ({ ref: t.ref, score: t.score })),
      ...portfolio.systems.map(t => ({ ref: t.ref, score: t.score })),
      { ref: 'org', score: portfolio.org.score },
    ];
    await this.deps.db.reliability.upsertScores(day(now), rows);
    await this.deps.db.reliability.deleteScoresBefore(day(new Date(now.getTime() - SCORE_RETENTION_DAYS * DAY_MS)));
  }

  /** Components and Resources, with the few fields the graph needs, in one stream. */
  async #readCatalog(credentials: BackstageCredentials): Promise<Entity[]> {
    const entities: Entity[] = [];
    const pages = this.deps.catalog.streamEntities(
      {
        filter: [{ kind: ['component', 'resource'], 'metadata.name': CATALOG_FILTER_EXISTS }],
        fields: ['kind', 'metadata', 'spec.owner', 'spec.system', 'spec.type', 'spec.dependsOn', 'relations'],
      },
      { credentials },
    );
    for await (const page of pages) entities.push(...page);
    return entities;
  }

  /** The stored snapshot, re-read when another replica stored a newer one. */
  /** The latest built dependency graph; undefined before the first build. */
  async currentGraph(): Promise<DependencyGraph | undefined> {
    return (await this.#snapshot())?.graph;
  }

  async #snapshot(): Promise<{ builtAt: string; graph: DependencyGraph; data: ReliabilitySnapshotData } | undefined> {
    if (!this.#cached || Date.now() - this.#cached.checkedAt > SNAPSHOT_RECHECK_MS) {
      this.#loading ??= this.#reload().finally(() => {
        this.#loading = undefined;
      });
      await this.#loading;
    }
    return this.#cached;
  }

  async #reload(): Promise<void> {
    const builtAt = await this.deps.db.reliability.builtAt();
    if (!builtAt) return;
    if (this.#cached?.builtAt === builtAt) {
      this.#cached.checkedAt = Date.now();
      return;
    }
    const stored = await this.deps.db.reliability.loadSnapshot();
    if (!stored) return;
    this.#cached = { builtAt: stored.builtAt, graph: indexDependencyGraph(stored.data.graph), data: stored.data, checkedAt: Date.now() };
    this.#portfolios.clear();
    this.#blastSummaries.clear();
  }

  async #visibleEntity(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<string> {
    const entity = await this.deps.entities.getEntity(ref, credentials);
    if (!entity) throw new NotFoundError(`No entity ${stringifyEntityRef(ref)} in the catalog`);
    return stringifyEntityRef(entity);
  }

  /** The graph around an entity, filtered to what the caller may see. */
  async dependencies(
    ref: CompoundEntityRef,
    query: { depth?: unknown; direction?: unknown },
    credentials: BackstageCredentials,
  ): Promise<EntityDependenciesResponse> {
    const depth = parseDepth(query.depth);
    const direction = parseDirection(query.direction);
    const entityRef = await this.#visibleEntity(ref, credentials);
    const snapshot = await this.#snapshot();
    if (!snapshot || !snapshot.graph.nodes.has(entityRef)) {
      return { entityRef, depth, direction, nodes: [], edges: [], findings: [], truncated: false, builtAt: snapshot?.builtAt ?? null };
    }
    const view = dependencyNeighbourhood(snapshot.graph, entityRef, depth, direction, snapshot.builtAt);
    return this.#filterVisible(view, credentials);
  }

  /** Hides managed entities the caller may not read (unmanaged ones carry no NthLayer data). */
  async #filterVisible(view: EntityDependenciesResponse, credentials: BackstageCredentials): Promise<EntityDependenciesResponse> {
    const visible = await this.deps.entities.visibleManagedRefs(credentials);
    const hidden = new Set(view.nodes.filter(n => n.managed && !visible.has(n.entityRef.toLowerCase())).map(n => n.entityRef));
    if (!hidden.size) return view;
    return {
      ...view,
      nodes: view.nodes.filter(n => !hidden.has(n.entityRef)),
      edges: view.edges.filter(e => !hidden.has(e.from) && !hidden.has(e.to)),
      findings: view.findings.filter(f => !hidden.has(f.entityRef)),
    };
  }

  async blastRadius(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<BlastRadiusResponse> {
    const entityRef = await this.#visibleEntity(ref, credentials);
    const snapshot = await this.#snapshot();
    if (!snapshot) return blastRadius(indexDependencyGraph({ nodes: [], edges: [], findings: [] }), entityRef, null);
    const blast = blastRadius(snapshot.graph, entityRef, snapshot.builtAt);
    // Counted over everything (the severity is a fact about the graph); listed as far as the caller may see.
    const visible = await this.deps.entities.visibleManagedRefs(credentials);
    const shown = (e: { entityRef: string }) => !snapshot.graph.nodes.get(e.entityRef)?.managed || visible.has(e.entityRef.toLowerCase());
    return { ...blast, byDepth: blast.byDepth.map(d => ({ ...d, entities: d.entities.filter(shown) })).filter(d => d.entities.length) };
  }

  /** `blast.*` for the gate; null before the first build. */
  async blastSummary(entityRef: string): Promise<GateInput['blast']> {
    const snapshot = await this.#snapshot();
    if (!snapshot || !snapshot.graph.nodes.has(entityRef)) return null;
    let summary = this.#blastSummaries.get(entityRef);
    if (!summary) {
      const b = blastRadius(snapshot.graph, entityRef, snapshot.builtAt);
      summary = { severity: b.severity, affected: b.affected, tier1: b.tier1Affected };
      if (this.#blastSummaries.size >= 20_000) this.#blastSummaries.clear();
      this.#blastSummaries.set(entityRef, summary);
    }
    return summary;
  }

  /**
   * The portfolio of the services the caller may see, filtered, with its JSON. Built once per
   * snapshot, filters, visible set and day, and shared by every caller who sees the same: at
   * 10,000 services building it is a second of CPU.
   */
  async portfolio(
    query: { group?: unknown; system?: unknown; tier?: unknown },
    credentials: BackstageCredentials,
  ): Promise<PortfolioAnswer> {
    const filters = parsePortfolioFilters(query);
    const snapshot = await this.#snapshot();
    const visible = await this.deps.entities.visibleManagedRefs(credentials);
    const all = snapshot?.data.services ?? [];
    const services = all.filter(s => visible.has(s.entityRef.toLowerCase()));
    const now = this.#now();
    const today = day(now);
    const seen = services.length === all.length ? 'all' : createHash('sha1').update(services.map(s => s.entityRef).join('\n')).digest('hex');
    const key = JSON.stringify([snapshot?.builtAt ?? null, today, filters.group, filters.system, filters.tier, seen]);
    const cached = this.#portfolios.get(key);
    if (cached) return cached;
    const [week, month] = await Promise.all([7, 30].map(d => this.#pastScores(day(new Date(now.getTime() - d * DAY_MS)))));
    const portfolio = buildPortfolio({
      services,
      filters,
      generatedAt: snapshot?.builtAt ?? now.toISOString(),
      pastScore: (ref, daysAgo) => (daysAgo === 7 ? week : month).get(ref) ?? null,
    });
    const entry: PortfolioAnswer = { portfolio, ...jsonAnswer(portfolio, key) };
    // Without a snapshot the answer says "nothing yet" and must not outlive the first build.
    if (snapshot) {
      if (this.#portfolios.size >= PORTFOLIO_CACHE_ENTRIES) this.#portfolios.delete(this.#portfolios.keys().next().value!);
      this.#portfolios.set(key, entry);
    }
    return entry;
  }

  /** A past day's stored scores (they no longer change), read once. */
  async #pastScores(pastDay: string): Promise<Map<string, number | null>> {
    let scores = this.#past.get(pastDay);
    if (!scores) {
      scores = this.deps.db.reliability.scoresOn(pastDay);
      if (this.#past.size >= 4) this.#past.delete(this.#past.keys().next().value!);
      this.#past.set(pastDay, scores);
      scores.catch(() => this.#past.delete(pastDay));
    }
    return scores;
  }

  async scoreHistory(query: { ref?: unknown; days?: unknown }, credentials: BackstageCredentials): Promise<ScoreHistoryResponse> {
    const ref = typeof query.ref === 'string' && query.ref.trim() ? query.ref.trim() : 'org';
    const days = query.days === undefined ? 90 : Number(query.days);
    if (!Number.isInteger(days) || days < 1 || days > SCORE_RETENTION_DAYS) {
      throw new InputError(`days must be a whole number from 1 to ${SCORE_RETENTION_DAYS}`);
    }
    let key = ref;
    if (ref !== 'org') {
      let parsed: CompoundEntityRef;
      try {
        parsed = parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' });
      } catch (error) {
        throw new InputError(`ref must be org or an entity ref: ${(error as Error).message.slice(0, 200)}`);
      }
      key = await this.#visibleEntity(parsed, credentials);
    }
    const from = day(new Date(this.#now().getTime() - days * DAY_MS));
    return { ref: key, points: await this.deps.db.reliability.history(key, from) };
  }
}

function dependsOn(entity: Entity): string[] {
  const refs = new Set<string>();
  for (const r of entity.relations ?? []) if (r.type === RELATION_DEPENDS_ON) refs.add(r.targetRef);
  const raw = (entity.spec as Record<string, unknown> | undefined)?.dependsOn;
  for (const item of Array.isArray(raw) ? raw : []) {
    if (typeof item !== 'string') continue;
    try {
      refs.add(stringifyEntityRef(parseEntityRef(item, { defaultKind: 'component', defaultNamespace: entity.metadata.namespace ?? 'default' })));
    } catch {
      // The catalog reports malformed refs itself.
    }
  }
  return [...refs];
}

function parseDepth(value: unknown): number {
  if (value === undefined) return 2;
  const depth = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
    throw new InputError(`depth must be a whole number from 1 to ${MAX_DEPTH}`);
  }
  return depth;
}

function parseDirection(value: unknown): NeighbourhoodDirection {
  if (value === undefined) return 'both';
  if (value === 'downstream' || value === 'upstream' || value === 'both') return value;
  throw new InputError('direction must be downstream, upstream or both');
}

function parsePortfolioFilters(query: { group?: unknown; system?: unknown; tier?: unknown }): {
  group?: string;
  system?: string;
  tier?: ServiceTier;
} {
  const filters: { group?: string; system?: string; tier?: ServiceTier } = {};
  for (const [name, kind] of [['group', 'group'], ['system', 'system']] as const) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new InputError(`${name} must be given once`);
    try {
      filters[name] = stringifyEntityRef(parseEntityRef(value, { defaultKind: kind, defaultNamespace: 'default' }));
    } catch {
      throw new InputError(`${name} must be an entity ref, e.g. ${kind}:default/name`);
    }
  }
  if (query.tier !== undefined && query.tier !== '') {
    const tier = typeof query.tier === 'string' ? parseTier(query.tier) : undefined;
    if (!tier) throw new InputError('tier must be 1, 2 or 3');
    filters.tier = tier;
  }
  return filters;
}
