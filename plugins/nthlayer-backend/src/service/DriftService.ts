import { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DriftFinding,
  DriftReport,
  DriftTargetStatus,
  EntityDriftResponse,
  NTHLAYER_ANNOTATIONS,
  NthlayerService,
  budgetTrend,
  budgetTrendFinding,
  mapLimit,
} from '@nthlayer/backstage-plugin-common';
import {
  ArtifactKind,
  DriftReaders,
  GrafanaClient,
  ObservedRuleGroup,
  PagerDutyReader,
  checkDrift,
  expectedRuleGroups,
  indexRuleGroups,
  readRuleGroups,
} from '@nthlayer/backstage-plugin-generators';
import { DriftStore } from '../database/DriftStore';
import { ArtifactService, EntityArtifacts, GeneratedSetMemo } from './ArtifactService';
import { EntityReader } from './EntityReader';
import { EntitySloService, RemainingPoint } from './EntitySloService';
import { PrometheusRegistry } from './PrometheusRegistry';

const DAY_MS = 86_400_000;
/** One trend point an hour: a week is 168 points. */
const TREND_STEP_SECONDS = 3600;
/** Entities generated, and whose trends are read, together (one history query per chunk). */
const TREND_CHUNK = 250;

/** The budget-trend target of one entity's report. */
type TrendResult = { targets: DriftTargetStatus[]; findings: DriftFinding[] };

/** What one drift run did. */
export interface DriftRunSummary {
  entities: number;
  /** Reports whose findings or target states changed since the previous run. */
  changed: number;
  critical: number;
  /** Entities none of whose reports could be made (the error is logged). */
  failed: number;
  /** `GET /api/v1/rules` requests made, by instance: two per instance per run (its halves). */
  rulesRequests: Record<string, number>;
  durationMs: number;
}

/**
 * Drift on the scheduler and for the entity page: for every managed entity, what NthLayer
 * generates now against the rules its Prometheus instance runs, its dashboard in Grafana and
 * its PagerDuty setup (each where configured), plus the budget trend from stored history.
 * Each Prometheus instance's `/api/v1/rules` is read once per run (its alerting and recording
 * halves at once) and shared by all entities.
 */
export class DriftService {
  readonly #grafana: Map<string, GrafanaClient>;

  constructor(
    private readonly deps: {
      readEntities: () => Promise<Entity[]>;
      /** The plugin's own credentials, to read dependencies while generating. */
      serviceCredentials: () => Promise<BackstageCredentials>;
      artifacts: ArtifactService;
      entities: EntityReader;
      prometheus: PrometheusRegistry;
      grafana: GrafanaClient[];
      pagerduty?: PagerDutyReader;
      entitySlos: Pick<EntitySloService, 'remainingPointsMany'>;
      store: DriftStore;
      logger: LoggerService;
      trendDays: number;
      concurrency?: number;
      clock?: () => Date;
    },
  ) {
    this.#grafana = new Map(deps.grafana.map(c => [c.name, c]));
    const kinds: ArtifactKind[] = [
      'prometheus-rules',
      'technology-alerts',
      ...(deps.grafana.length ? (['grafana-dashboard'] as const) : []),
      ...(deps.pagerduty ? (['pagerduty'] as const) : []),
    ];
    this.#compared = {
      entries: new Map(),
      kinds,
      keep: set => ({ ...set, artifacts: set.artifacts.filter(a => kinds.includes(a.kind)) }),
    };
  }

  /**
   * What drift compares of every managed entity's generated set (rule files, and the dashboard
   * and PagerDuty setup where those are configured), kept between runs by the identity of its
   * inputs: a run regenerates and re-reads only what changed, however many entities the shared
   * cache of generated sets holds. Only those kinds are generated for it.
   */
  readonly #compared: GeneratedSetMemo;

  /** The drift task: checks every managed entity and stores the reports. */
  async run(): Promise<DriftRunSummary> {
    const started = Date.now();
    const entities = await this.deps.readEntities();
    const credentials = await this.deps.serviceCredentials();
    const rulesRequests: Record<string, number> = {};
    const rules = new Map<string, Promise<Map<string, ObservedRuleGroup[]>>>();
    const groupsOf = (instance: string) => {
      let groups = rules.get(instance);
      if (!groups) {
        // Two requests (alerting and recording rules, marshalled in parallel by the ruler).
        rulesRequests[instance] = (rulesRequests[instance] ?? 0) + 2;
        groups = readRuleGroups(this.deps.prometheus.get(instance)).then(indexRuleGroups);
        // Read once per run: every entity of the instance is told the same failure.
        groups.catch(() => undefined);
        rules.set(instance, groups);
      }
      return groups;
    };
    let failed = 0;
    const fail = (entity: Entity, error: unknown) => {
      failed++;
      this.deps.logger.warn(`Drift of ${stringifyEntityRef(entity)} could not be checked: ${(error as Error).message}`);
      return undefined;
    };
    // First what does not need the loaded rules, chunk by chunk: the generated sets (and their
    // rule groups), and the budget trends, read together per chunk. Each instance's
    // `/api/v1/rules` is asked for as soon as a service of it is seen, so Prometheus answers
    // while the rest is generated. Then the comparisons.
    const prepared: Array<{ entity: Entity; set: EntityArtifacts; service: NthlayerService; trend: TrendResult }> = [];
    for (let i = 0; i < entities.length; i += TREND_CHUNK) {
      const chunk = entities.slice(i, i + TREND_CHUNK);
      const generated = await mapLimit(chunk, this.deps.concurrency ?? 8, entity =>
        this.deps.artifacts.generateFor(entity, credentials, this.#compared).catch(error => fail(entity, error)),
      );
      const ready = chunk.flatMap((entity, k) => {
        const set = generated[k];
        const service = set?.service as NthlayerService | undefined;
        return set && service ? [{ entity, set, service }] : [];
      });
      for (const { service, set } of ready) {
        // Only warming up: an unknown instance or an unreadable file is reported by the check.
        try {
          groupsOf(service.prometheusInstance);
          expectedRuleGroups(set.artifacts);
        } catch {
          // reported below, for this entity alone
        }
      }
      const points = await this.#trendPoints(ready.map(c => c.service));
      for (const item of ready) prepared.push({ ...item, trend: this.#trend(item.service, points) });
    }
    const reports = await mapLimit(prepared, this.deps.concurrency ?? 8, ({ entity, set, service, trend }) =>
      this.#check(entity, set, service, trend, groupsOf).catch(error => fail(entity, error)),
    );
    // Entities no longer managed are not kept for the next run.
    const current = new Set(entities.map(e => stringifyEntityRef(e)));
    for (const ref of this.#compared.entries.keys()) if (!current.has(ref)) this.#compared.entries.delete(ref);
    const done = reports.filter((r): r is DriftReport => r !== undefined);
    const { changed } = await this.deps.store.save(done);
    return {
      entities: entities.length,
      changed,
      critical: done.reduce((n, r) => n + r.summary.critical, 0),
      failed,
      rulesRequests,
      durationMs: Date.now() - started,
    };
  }

  async #check(
    entity: Entity,
    generated: EntityArtifacts,
    service: NthlayerService,
    trend: TrendResult,
    groupsOf: (instance: string) => Promise<Map<string, ObservedRuleGroup[]>>,
  ): Promise<DriftReport> {
    const instance = service.prometheusInstance;
    const readers: DriftReaders = {
      rules: { instance, groups: () => groupsOf(instance) },
    };
    const notConfigured: Partial<Record<'dashboard', string>> = {};
    const grafana = this.#grafanaFor(entity, notConfigured);
    if (grafana) {
      readers.grafana = { instance: grafana.name, getDashboard: uid => grafana.getDashboard(uid) };
    }
    if (this.deps.pagerduty) readers.pagerduty = this.deps.pagerduty;
    return checkDrift({
      entityRef: generated.entityRef,
      service: service.name,
      artifacts: generated.artifacts,
      readers,
      notConfigured,
      extra: trend,
      now: this.#now(),
    });
  }

  #grafanaFor(entity: Entity, notConfigured: { dashboard?: string }): GrafanaClient | undefined {
    const wanted = entity.metadata.annotations?.[NTHLAYER_ANNOTATIONS.grafanaInstance]?.trim();
    if (this.#grafana.size === 0) {
      notConfigured.dashboard = 'No Grafana instance is configured (nthlayer.grafana.instances).';
      return undefined;
    }
    if (!wanted) return this.#grafana.values().next().value;
    const client = this.#grafana.get(wanted);
    if (!client) {
      notConfigured.dashboard = `${NTHLAYER_ANNOTATIONS.grafanaInstance} names "${wanted.slice(0, 100)}", which is not a configured Grafana instance: ${[...this.#grafana.keys()].join(', ')}.`;
    }
    return client;
  }

  /** The stored remaining budget of every SLO of these services over the trend's days, read together. */
  async #trendPoints(services: NthlayerService[]): Promise<Map<string, Map<string, RemainingPoint[]>> | Error> {
    const to = this.#now();
    const slos = services.flatMap(service => service.slos.map(slo => ({ entityRef: service.entityRef, slo })));
    const range = {
      from: new Date(to.getTime() - this.deps.trendDays * DAY_MS),
      to,
      stepSeconds: TREND_STEP_SECONDS,
      maxRows: Math.ceil((this.deps.trendDays * DAY_MS) / (TREND_STEP_SECONDS * 1000)) + 1,
    };
    return this.deps.entitySlos.remainingPointsMany(slos, range).catch((error: Error) => {
      this.deps.logger.warn(`NthLayer drift could not read the budget history of ${services.length} service(s): ${error.message}`);
      return error;
    });
  }

  /** The budget trend of each SLO over the stored history (DESIGN §6). */
  #trend(service: NthlayerService, points: Map<string, Map<string, RemainingPoint[]>> | Error): TrendResult {
    if (points instanceof Error) {
      const detail = `The stored budget history could not be read: ${points.message.slice(0, 300)}`;
      return { targets: [{ target: 'budget-trend', state: 'unreachable', detail }], findings: [] };
    }
    const pointsBySlo = points.get(service.entityRef);
    const findings: DriftFinding[] = [];
    let fitted = 0;
    for (const slo of service.slos) {
      const trend = budgetTrend(pointsBySlo?.get(slo.name) ?? []);
      if (!trend) continue;
      fitted++;
      const finding = budgetTrendFinding(slo.name, service.tier, trend);
      if (finding) findings.push(finding);
    }
    const status: DriftTargetStatus =
      fitted > 0
        ? { target: 'budget-trend', state: 'checked' }
        : {
            target: 'budget-trend',
            state: 'not-configured',
            detail: `Not enough budget history yet: a trend needs at least 6 hourly points over a day of the last ${this.deps.trendDays} days.`,
          };
    return { targets: [status], findings };
  }

  /** `GET .../drift`: the entity's latest report and its history of changes. */
  async entityDrift(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntityDriftResponse> {
    const entityRef = stringifyEntityRef(ref);
    await this.deps.entities.getManagedEntity(ref, credentials);
    const [report, history] = await Promise.all([
      this.deps.store.latest(entityRef),
      this.deps.store.history(entityRef),
    ]);
    return { entityRef, report: report ?? null, history };
  }

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }
}
