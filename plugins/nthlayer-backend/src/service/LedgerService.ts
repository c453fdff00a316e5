import { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AttributedEpisode,
  BurnBucket,
  BurnEpisodeWithBuckets,
  DependencyGraph,
  DeploymentImpactResponse,
  DeploymentRecord,
  EntityLedgerResponse,
  EntitySlosResponse,
  LEDGER_BUCKET_MINUTES,
  LedgerDeployment,
  LedgerIncident,
  NthlayerService,
  attributeEpisodes,
  bucketsDecidingEpisodes,
  dependencyDepths,
  deploymentImpacts,
  detectBurnEpisodes,
  impactTimeline,
  ledgerSlo,
  ledgerTopCauses,
  ledgerUnattributedRatio,
  mapLimit,
  parsePrometheusDuration,
  resolveWindow,
  weighEpisodes,
} from '@nthlayer/backstage-plugin-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { IncidentStore, StoredIncident } from '../database/IncidentStore';
import { LedgerStore, StoredEpisode, ledgerKey } from '../database/LedgerStore';
import { MatrixSeries } from './PrometheusClient';
import { PrometheusRegistry } from './PrometheusRegistry';
import { TtlCache } from './TtlCache';
import { planQueryBatches } from './queryPlan';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BUCKET_MS = LEDGER_BUCKET_MINUTES * MINUTE_MS;
/** A bucket is read once it is this old: the newest samples may not be scraped yet. */
const SETTLE_MS = MINUTE_MS;
/** While a run reads a long history, what it has read is stored at least this often. */
const CHECKPOINT_MS = 60_000;
/** Deploys and incidents this far back feed the history factor. */
const HISTORY_DAYS = 90;
/** Dependencies (and dependents) are followed this many steps. */
const GRAPH_DEPTH = 3;
/** At most this many services depending on a deploy's service are read for its impact. */
const MAX_DEPENDENTS = 25;
/** Dependents whose budget report and ledger a deploy's impact reads at once. */
const IMPACT_CONCURRENCY = 5;
const MAX_SLICE_MINUTES = 90 * 1440;

/** What one ledger run did. */
export interface LedgerRunSummary {
  services: number;
  slos: number;
  /** 5-minute buckets read from Prometheus (all SLOs). */
  buckets: number;
  /** Episodes written (new, extended or closed). */
  episodes: number;
  queries: number;
  /** Times a batch stored what it had read before reading on (long reads only). */
  checkpoints: number;
  failed: number;
  durationMs: number;
}

/** One SLO's reading state during a ledger run. */
interface MemberState {
  /** Its cursor at the start: buckets up to it were read before. */
  since: number;
  /** The episode open in the store: the one the last run left, or the last checkpoint stored. */
  stored?: BurnEpisodeWithBuckets;
  /** The episode still going on at the end of the chunks read so far. */
  open?: BurnEpisodeWithBuckets;
  /** Episodes that ended since the last write. */
  closed: BurnEpisodeWithBuckets[];
  /** Buckets read in this run, and since the last write. */
  read: number;
  unstored: number;
}

/** `ledger.*` and `deploy.recentHighImpact` for the gate; null before the ledger first ran for the entity. */
export interface GateLedgerSummary {
  unattributedRatio: number | null;
  recentHighImpact: boolean;
}

/**
 * The error-budget ledger (DESIGN §5). On the scheduler: reads each SLO's 5-minute buckets
 * from Prometheus since the last run (batched like the budget refresh: one `query_range` pair
 * per SLI definition and day of history), detects burn episodes and stores them, extending the
 * one still going on. On request: weighs the stored episodes against the budget card's window
 * and attributes them to deploys, dependencies and incidents.
 */
export class LedgerService {
  constructor(
    private readonly deps: {
      readEntities: () => Promise<Entity[]>;
      /** The managed services with their SLIs as the budget refresh measures them. */
      defineServices: (entities: Entity[]) => Promise<NthlayerService[]>;
      prometheus: PrometheusRegistry;
      store: LedgerStore;
      deployments: DeploymentStore;
      incidents: IncidentStore;
      /** The budget card's numbers, as the caller may see them. */
      entitySlos: { getEntitySlos(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<EntitySlosResponse> };
      /** The latest dependency graph; undefined before the first build (declared dependencies are used). */
      graph: () => Promise<DependencyGraph | undefined>;
      logger: LoggerService;
      /** How far back the first run reads (capped at each SLO's window). */
      lookbackDays: number;
      retentionDays: number;
      recentHighImpactDays: number;
      /** Hours of history per range query (default 24: 288 points per series). */
      chunkHours?: number;
      /**
       * While a run reads many chunks (the first read of a long history), the episodes and
       * cursors read so far are stored once this many ms have passed since the last time
       * (default 60,000), so a run stopped by its timeout, a restart or a failing Prometheus
       * is resumed from there by the next one instead of starting over. 0: after every chunk.
       */
      checkpointEveryMs?: number;
      concurrency?: number;
      clock?: () => Date;
    },
  ) {}

  /**
   * The gate's variables per entity: every gate check asks, the stored episodes change at most
   * once per 5-minute bucket, and they do not depend on the caller.
   */
  readonly #gateSummaries = new TtlCache<GateLedgerSummary | null>({ ttlMs: 30_000, maxEntries: 20_000 });
  /**
   * Ledgers per entity, window and budget measurement: the Reliability tab, the gate and a
   * deploy's impact ask for the same one. The stored episodes change at most once per bucket;
   * a new measurement (another key) or 30 s bring a fresh one. The caller's visibility is
   * checked before the cache is asked (the budget report is read as the caller).
   */
  readonly #ledgers = new TtlCache<{ response: EntityLedgerResponse }>({ ttlMs: 30_000, maxEntries: 20_000 });

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  /** The ledger task: reads new buckets, stores episodes. */
  async run(): Promise<LedgerRunSummary> {
    const started = Date.now();
    const now = this.#now();
    const settled = Math.floor((now.getTime() - SETTLE_MS) / BUCKET_MS) * BUCKET_MS;
    const services = await this.deps.defineServices(await this.deps.readEntities());
    const refs = services.map(s => s.entityRef);
    const [cursors, open] = await Promise.all([this.deps.store.cursors(refs), this.deps.store.openEpisodes(refs)]);
    const summary: LedgerRunSummary = { services: services.length, slos: 0, buckets: 0, episodes: 0, queries: 0, checkpoints: 0, failed: 0, durationMs: 0 };
    const batches = planQueryBatches(services, { ignoreWindow: true });
    await mapLimit(batches, this.deps.concurrency ?? 2, async batch => {
      summary.slos += batch.members.length;
      const fromOf = (m: (typeof batch.members)[number]) => {
        const lookback = Math.min(this.deps.lookbackDays * 1440, m.slo.window.minutes);
        const first = Math.floor((settled - lookback * MINUTE_MS) / BUCKET_MS) * BUCKET_MS;
        return Math.max(cursors.get(ledgerKey(m.service.entityRef, m.slo.name)) ?? first, first);
      };
      const from = Math.min(...batch.members.map(fromOf));
      if (!(from < settled)) return;
      // Per member, while the chunks are read: the episode still open at the end of the last
      // chunk (its buckets), the ones closed since, and whether anything was read.
      const state = new Map(
        batch.members.map(m => {
          const stored = open.get(ledgerKey(m.service.entityRef, m.slo.name));
          const st: MemberState = { since: fromOf(m), stored, open: stored, closed: [], read: 0, unstored: 0 };
          return [m, st];
        }),
      );
      // Chunks of at most ~2 million points for the whole batch, so memory stays bounded.
      const chunkMs = this.deps.chunkHours
        ? this.deps.chunkHours * HOUR_MS
        : Math.max(1, Math.min(24, Math.floor(2_000_000 / (batch.members.length * 12)))) * HOUR_MS;
      let answered = false;
      // The episodes found since the last write (closed, and the one still open, which
      // replaces the open one in the store); nothing when nothing was read since.
      const unstoredEpisodes = (st: MemberState) =>
        st.unstored
          ? { replacesOpenStart: st.stored?.start ?? null, episodes: [...st.closed, ...(st.open ? [st.open] : [])] }
          : { replacesOpenStart: null, episodes: [] };
      // What was read so far, stored as if the run ended at `cursor` — except that an episode
      // still open stays open, and a member with nothing new keeps its open episode: the rest
      // of the run (or the next one, resuming here) carries on from it.
      const checkpoint = async (cursor: number) => {
        for (const [m, st] of state) {
          if (cursor <= st.since) continue;
          const update = unstoredEpisodes(st);
          await this.deps.store.advance(m.service.entityRef, m.slo.name, { ...update, cursor });
          summary.episodes += update.episodes.length;
          if (st.unstored) {
            st.stored = st.open;
            st.closed = [];
            st.unstored = 0;
          }
        }
      };
      const checkpointEveryMs = this.deps.checkpointEveryMs ?? CHECKPOINT_MS;
      let checkpointedAt = Date.now();
      try {
        const client = this.deps.prometheus.get(batch.instance);
        const { good, total } = batch.queries(`${LEDGER_BUCKET_MINUTES}m`);
        // One row of buckets per series key: a service's name in a batch by service, else the
        // one answer every member shares.
        const label = batch.byService ? batch.label : undefined;
        const rowOf = new Map<string, number>();
        const rowOfMember = new Map<(typeof batch.members)[number], number>();
        for (const m of batch.members) {
          const key = label ? m.service.name : '';
          if (!rowOf.has(key)) rowOf.set(key, rowOf.size);
          rowOfMember.set(m, rowOf.get(key)!);
        }
        const chunkEnd = (chunk: number) => Math.min(chunk + chunkMs, settled);
        // A chunk holds at least one bucket end (chunks are at least an hour long).
        const hasBuckets = (chunk: number) => chunk + BUCKET_MS <= settled;
        const read = (chunk: number) => {
          const start = new Date(chunk + BUCKET_MS);
          const end = new Date(chunkEnd(chunk));
          summary.queries += 2;
          const pair = Promise.all([
            client.queryRange(good, start, end, BUCKET_MS / 1000),
            client.queryRange(total, start, end, BUCKET_MS / 1000),
          ]);
          pair.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
          return pair;
        };
        // The next chunk is asked for while this one is weighed: Prometheus and this process
        // work at the same time.
        let next = hasBuckets(from) ? read(from) : undefined;
        for (let chunk = from; next; chunk += chunkMs) {
          const [goodSeries, totalSeries] = await next;
          next = hasBuckets(chunk + chunkMs) ? read(chunk + chunkMs) : undefined;
          // Good and all events per member and bucket of the chunk, summed over the series.
          const first = chunk + BUCKET_MS;
          const steps = Math.round((chunkEnd(chunk) - first) / BUCKET_MS) + 1;
          const goodOf = sumByRow(goodSeries, { rowOf, steps, first, label });
          const totalOf = sumByRow(totalSeries, { rowOf, steps, first, label });
          if (goodSeries.length || totalSeries.length) answered = true;
          state.forEach((st, m) => {
            const row = rowOfMember.get(m)!;
            const fresh: BurnBucket[] = [];
            for (let k = row * steps; k < (row + 1) * steps; k++) {
              const at = first + (k - row * steps) * BUCKET_MS;
              if (!(totalOf[k] > 0) || at <= st.since) continue;
              fresh.push({ end: at, good: Math.min(goodOf[k], totalOf[k]), total: totalOf[k] });
            }
            if (!fresh.length) return;
            st.read += fresh.length;
            st.unstored += fresh.length;
            const found = detectBurnEpisodes([...(st.open?.buckets ?? []), ...bucketsDecidingEpisodes(fresh, m.slo.targetPercent)], {
              sloName: m.slo.name,
              targetPercent: m.slo.targetPercent,
            });
            const last = found.at(-1);
            st.open = last?.ongoing ? last : undefined;
            st.closed.push(...found.filter(e => !e.ongoing));
          });
          if (next && answered && Date.now() - checkpointedAt >= checkpointEveryMs) {
            await checkpoint(chunkEnd(chunk));
            summary.checkpoints++;
            checkpointedAt = Date.now();
          }
        }
      } catch (error) {
        summary.failed += batch.members.length;
        this.deps.logger.warn(`NthLayer ledger could not read ${batch.members.length} SLO(s) from ${batch.instance}: ${(error as Error).message}`);
        return;
      }
      // Not one series answered (Prometheus lost its data, a rule not loaded yet): the cursors
      // stay, so the range is read again next time rather than skipped for good.
      if (!answered) return;
      for (const [m, st] of state) {
        summary.buckets += st.read;
        // Nothing new (no traffic, or the series is gone): the cursor moves on all the same,
        // so the next run does not read the range again, and an episode left open is over.
        // (Since the last checkpoint, if any: it stored what came before and is `stored` now.)
        const update =
          !st.read && st.stored
            ? { replacesOpenStart: null, episodes: [{ ...st.stored, ongoing: false }] }
            : unstoredEpisodes(st);
        await this.deps.store.advance(m.service.entityRef, m.slo.name, { ...update, cursor: settled });
        summary.episodes += update.episodes.length;
      }
    });
    await this.deps.store.deleteEndedBefore(new Date(now.getTime() - this.deps.retentionDays * DAY_MS));
    // New episodes and cursors: ledgers computed before this run are not served again.
    this.#ledgers.clear();
    this.#gateSummaries.clear();
    summary.durationMs = Date.now() - started;
    return summary;
  }

  /** `GET .../ledger?window=30d`: the entity's ledger as the caller may see it. */
  async entityLedger(ref: CompoundEntityRef, query: { window?: unknown }, credentials: BackstageCredentials): Promise<EntityLedgerResponse> {
    const sliceMinutes = parseSlice(query.window);
    const slos = await this.deps.entitySlos.getEntitySlos(ref, credentials);
    if (!slos.service) throw new NotFoundError(`${slos.entityRef} is not managed by NthLayer (no usable nthlayer.dev/tier)`);
    return (await this.#ledgerOf(slos, sliceMinutes, typeof query.window === 'string' ? query.window : undefined)).response;
  }

  /** The gate's ledger variables; null before the ledger task read the entity's SLOs. */
  async gateSummary(slos: EntitySlosResponse): Promise<GateLedgerSummary | null> {
    if (!slos.service) return null;
    return this.#gateSummaries.get(slos.service.entityRef, () => this.#gateSummary(slos));
  }

  async #gateSummary(slos: EntitySlosResponse): Promise<GateLedgerSummary | null> {
    const { response } = await this.#ledgerOf(slos, undefined, undefined);
    if (response.computedAt === null) return null;
    const since = this.#now().getTime() - this.deps.recentHighImpactDays * DAY_MS;
    return {
      unattributedRatio: response.unattributedRatio,
      recentHighImpact: response.deployments.some(
        d => d.impact === 'high' && d.burnedMinutes > 0 && Date.parse(d.deployment.startedAt) >= since,
      ),
    };
  }

  /** `GET /v1/deployments/{id}/impact`: its burn here and on what depends on it, and its timeline. */
  async deploymentImpact(idText: string, credentials: BackstageCredentials): Promise<DeploymentImpactResponse> {
    if (!/^[1-9][0-9]{0,15}$/.test(idText)) throw new InputError('The deployment id must be a positive integer');
    const deployment = await this.deps.deployments.get(Number(idText));
    if (!deployment) throw new NotFoundError(`No deployment ${idText}`);
    const ref = parseEntityRef(deployment.entityRef);
    // The deploy's own service must be visible to the caller (a NotFoundError otherwise).
    const own = await this.deps.entitySlos.getEntitySlos(ref, credentials);
    const graph = await this.deps.graph();
    const dependents = graph ? Object.keys(dependencyDepths(graph, deployment.entityRef, 'upstream', GRAPH_DEPTH)).slice(0, MAX_DEPENDENTS) : [];
    // The dependents' budget reports and ledgers are read a few at a time, in their order.
    const reports = await mapLimit(dependents, IMPACT_CONCURRENCY, dependent =>
      // Not visible to the caller, or gone from the catalog: not counted.
      this.deps.entitySlos.getEntitySlos(parseEntityRef(dependent), credentials).catch(() => undefined),
    );
    const ledgers = [own, ...reports].filter((r): r is EntitySlosResponse => !!r?.service);
    const computed = await mapLimit(ledgers, IMPACT_CONCURRENCY, slos => this.#ledgerOf(slos, undefined, undefined));
    const attributedAll: Array<{ entityRef: string; episode: AttributedEpisode }> = [];
    for (const { response } of computed) {
      for (const slo of response.slos) for (const episode of slo.episodes) attributedAll.push({ entityRef: response.entityRef, episode });
    }
    const mine = ledgerDeployment(deployment);
    const [impact] = deploymentImpacts([mine], attributedAll);
    const later = await this.deps.deployments.listForEntities([deployment.entityRef], {
      from: new Date(deployment.startedAt),
      to: new Date(Date.parse(deployment.startedAt) + DAY_MS),
    });
    const attributed = attributedAll.filter(a => a.episode.cause.key === `deployment:${deployment.id}`);
    return {
      ...impact,
      entityRef: deployment.entityRef,
      attributed,
      timeline: impactTimeline({ deployment: mine, attributed, laterDeployments: later.filter(d => d.id !== deployment.id).map(ledgerDeployment) }),
    };
  }

  #ledgerOf(
    slos: EntitySlosResponse,
    sliceMinutes: number | undefined,
    sliceText: string | undefined,
  ): Promise<{ response: EntityLedgerResponse }> {
    const measured = slos.slos.map(s => `${s.name}@${s.updatedAt ?? ''}:${s.totalEvents ?? ''}`).join(',');
    const key = `${slos.service!.entityRef}|${sliceMinutes ?? ''}|${sliceText ?? ''}|${measured}`;
    return this.#ledgers.get(key, () => this.#computeLedger(slos, sliceMinutes, sliceText));
  }

  async #computeLedger(
    slos: EntitySlosResponse,
    sliceMinutes: number | undefined,
    sliceText: string | undefined,
  ): Promise<{ response: EntityLedgerResponse }> {
    const service = slos.service!;
    const entityRef = service.entityRef;
    const now = this.#now();
    const graph = await this.deps.graph();
    const dependencies: Record<string, number> =
      graph && graph.nodes.has(entityRef)
        ? dependencyDepths(graph, entityRef, 'downstream', GRAPH_DEPTH)
        : Object.fromEntries(service.dependsOn.map(d => [d, 1]));
    const related = [entityRef, ...Object.keys(dependencies)];
    const windows = service.slos.map(d => ({ definition: d, resolved: resolveWindow(d.window, now) }));
    const longest = Math.max(0, ...windows.map(w => now.getTime() - w.resolved.start.getTime()));
    const historyFrom = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
    const [episodes, deployments, incidents, cursors] = await Promise.all([
      this.deps.store.episodesFor(related, new Date(now.getTime() - Math.max(longest, HISTORY_DAYS * DAY_MS))),
      this.deps.deployments.listForEntities(related, { from: historyFrom }),
      this.deps.incidents.listOpenSince(related, historyFrom),
      this.deps.store.cursors([entityRef]),
    ]);
    const episodesByEntity: Record<string, StoredEpisode[]> = {};
    for (const e of episodes) (episodesByEntity[e.entityRef] ??= []).push(e);
    const input = {
      entityRef,
      dependencies,
      deployments: deployments.map(ledgerDeployment),
      incidents: incidents.flatMap(ledgerIncident),
      episodesByEntity,
      now: now.getTime(),
    };

    const ledgerSlos = [];
    let sliceStart = now.getTime();
    for (const { definition, resolved } of windows) {
      const report = slos.slos.find(s => s.name === definition.name);
      const elapsedMinutes = resolved.elapsedSeconds / 60;
      const slice = Math.min(sliceMinutes ?? elapsedMinutes, elapsedMinutes);
      sliceStart = Math.min(sliceStart, now.getTime() - slice * MINUTE_MS);
      const own = (episodesByEntity[entityRef] ?? []).filter(e => e.sloName === definition.name);
      const weighed = weighEpisodes(own, {
        end: now.getTime(),
        minutes: resolved.periodMinutes,
        totalEvents: report?.totalEvents ?? 0,
        sliceMinutes: slice,
      });
      ledgerSlos.push(
        ledgerSlo({
          sloName: definition.name,
          targetPercent: definition.targetPercent,
          windowMinutes: resolved.periodMinutes,
          consumedMinutes: slice === elapsedMinutes ? report?.errorBudget?.consumedMinutes ?? null : null,
          episodes: attributeEpisodes(weighed, input),
        }),
      );
    }
    const attributed = ledgerSlos.flatMap(s => s.episodes.map(episode => ({ entityRef, episode })));
    const ownDeploys = input.deployments
      .filter(d => d.entityRef === entityRef && Date.parse(d.startedAt) >= sliceStart)
      .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
    const read = [...cursors.values()];
    return {
      response: {
        entityRef,
        window: sliceText ?? windows[0]?.definition.window.text ?? '30d',
        windowMinutes: Math.round((now.getTime() - sliceStart) / MINUTE_MS),
        from: new Date(sliceStart).toISOString(),
        computedAt: read.length ? new Date(Math.max(...read)).toISOString() : null,
        slos: ledgerSlos,
        topCauses: ledgerTopCauses(ledgerSlos),
        unattributedRatio: ledgerUnattributedRatio(ledgerSlos),
        deployments: deploymentImpacts(ownDeploys, attributed),
      },
    };
  }
}

/**
 * A chunk's answer summed per row (series key) and 5-minute bucket: row × steps + step, the
 * step counted from the chunk's first bucket end. Points off the grid or not finite are left out.
 */
function sumByRow(
  series: MatrixSeries[],
  options: { rowOf: Map<string, number>; steps: number; first: number; label: string | undefined },
): Float64Array {
  const { rowOf, steps, first, label } = options;
  const out = new Float64Array(rowOf.size * steps);
  for (const s of series) {
    const row = rowOf.get(label ? s.labels[label] ?? '' : '');
    if (row === undefined) continue;
    for (const [t, v] of s.points) {
      const step = Math.round((t * 1000 - first) / BUCKET_MS);
      if (Number.isFinite(v) && step >= 0 && step < steps) out[row * steps + step] += v;
    }
  }
  return out;
}

function ledgerDeployment(d: DeploymentRecord): LedgerDeployment {
  return {
    id: d.id,
    entityRef: d.entityRef,
    version: d.version,
    commit: d.commit,
    author: d.author,
    startedAt: d.startedAt,
    status: d.status,
    labels: d.labels,
    url: d.url,
  };
}

function ledgerIncident(i: StoredIncident): LedgerIncident[] {
  if (!i.entityRef) return [];
  return [
    {
      id: i.id,
      entityRef: i.entityRef,
      number: i.number,
      title: i.title,
      urgency: i.urgency,
      priority: i.priority,
      url: i.url,
      createdAt: i.createdAt,
      resolvedAt: i.resolvedAt,
    },
  ];
}

/** `window`: a duration such as `7d` or `30d`, from 1 h to 90 d; absent: each SLO's own window. */
function parseSlice(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 16) throw new InputError('window must be a duration such as 7d or 30d');
  const ms = parsePrometheusDuration(value);
  if (ms === undefined) throw new InputError(`window must be a duration such as 7d or 30d, got "${value}"`);
  const minutes = ms / MINUTE_MS;
  if (minutes < 60 || minutes > MAX_SLICE_MINUTES) throw new InputError(`window must be between 1h and 90d, got ${value}`);
  return minutes;
}
