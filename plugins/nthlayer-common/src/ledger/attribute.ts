import {
  AttributedEpisode,
  BurnEpisode,
  EpisodeDependencyBurn,
  EpisodeDeployCandidate,
  EpisodeIncident,
  LEDGER_BUCKET_MINUTES,
  LedgerCause,
  LedgerDeployment,
  LedgerIncident,
} from './api';
import { PROXIMITY_HOURS, deployConfidence } from './confidence';
import { WeighedEpisode } from './episodes';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Everything the attribution of one service's episodes reads. @public */
export interface LedgerAttributionInput {
  entityRef: string;
  /** The service's dependencies, transitively: entity ref → depth (1 = direct). */
  dependencies: Record<string, number>;
  /** Deployments of the service and of its dependencies, any status, oldest first or not. */
  deployments: LedgerDeployment[];
  /** Incidents of the service and of its dependencies. */
  incidents: LedgerIncident[];
  /** Burn episodes (any SLO) of the service and of its dependencies: dependency burn and the history factor read them. */
  episodesByEntity: Record<string, Array<Pick<BurnEpisode, 'sloName' | 'start' | 'end'>>>;
  /** Now (ms): the end of an incident not yet resolved. */
  now: number;
  bucketMinutes?: number;
}

const ms = (iso: string) => Date.parse(iso);
const overlapMs = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

function depthOf(input: LedgerAttributionInput, ref: string): number | null {
  if (ref === input.entityRef) return 0;
  return input.dependencies[ref] ?? null;
}

/** Per deploying service: which of its deploys were followed by an incident or burn within 5 hours. */
class DeployHistory {
  readonly #followed = new Map<string, Array<{ at: number; followed: boolean }>>();

  constructor(input: LedgerAttributionInput) {
    const byEntity = new Map<string, LedgerDeployment[]>();
    for (const d of input.deployments) byEntity.set(d.entityRef, [...(byEntity.get(d.entityRef) ?? []), d]);
    for (const [ref, deploys] of byEntity) {
      const incidents = input.incidents.filter(i => i.entityRef === ref).map(i => ms(i.createdAt));
      const burns = (input.episodesByEntity[ref] ?? []).map(e => ms(e.start));
      const starts = [...incidents, ...burns];
      this.#followed.set(
        ref,
        deploys
          .map(d => ms(d.startedAt))
          .sort((a, b) => a - b)
          .map(at => ({ at, followed: starts.some(s => s >= at && s <= at + PROXIMITY_HOURS * HOUR_MS) })),
      );
    }
  }

  /** Earlier deploys of the entity than `at`, and how many of them were followed. */
  before(ref: string, at: number): { earlier: number; followed: number } {
    const earlier = (this.#followed.get(ref) ?? []).filter(d => d.at < at);
    return { earlier: earlier.length, followed: earlier.filter(d => d.followed).length };
  }
}

/**
 * Attributes burn episodes of one service (DESIGN §5). Candidates: deploys of the service or
 * of a dependency started up to 5 hours before the burn began (or inside its first bucket),
 * each with its confidence; incidents open during the episode; dependencies whose own
 * episodes overlap it. The cause, in this order: the most confident deploy when it is at
 * least medium (≥ 0.5); else the dependency that burned longest alongside it (or had an
 * incident open during it); else an incident on the service; else *unattributed*.
 *
 * @public
 */
export function attributeEpisodes(episodes: WeighedEpisode[], input: LedgerAttributionInput): AttributedEpisode[] {
  const history = new DeployHistory(input);
  return episodes.map(episode => attributeOne(episode, input, history));
}

function attributeOne(episode: WeighedEpisode, input: LedgerAttributionInput, history: DeployHistory): AttributedEpisode {
  const bucketMs = (input.bucketMinutes ?? LEDGER_BUCKET_MINUTES) * MINUTE_MS;
  const start = ms(episode.start);
  const end = ms(episode.end);

  const deployments: EpisodeDeployCandidate[] = [];
  for (const deployment of input.deployments) {
    const depth = depthOf(input, deployment.entityRef);
    if (depth === null) continue;
    const at = ms(deployment.startedAt);
    if (!(at >= start - PROXIMITY_HOURS * HOUR_MS && at < start + bucketMs)) continue;
    const past = history.before(deployment.entityRef, at);
    const minutesBeforeBurn = (start - at) / MINUTE_MS;
    deployments.push({
      deployment,
      minutesBeforeBurn: Math.round(minutesBeforeBurn * 10) / 10,
      confidence: deployConfidence({
        hoursBeforeBurn: minutesBeforeBurn / 60,
        depth,
        earlierDeploys: past.earlier,
        earlierFollowed: past.followed,
      }),
    });
  }
  deployments.sort(
    (a, b) => b.confidence.score - a.confidence.score || ms(b.deployment.startedAt) - ms(a.deployment.startedAt),
  );

  const incidents: EpisodeIncident[] = [];
  for (const incident of input.incidents) {
    const depth = depthOf(input, incident.entityRef);
    if (depth === null) continue;
    const opened = ms(incident.createdAt);
    const closed = incident.resolvedAt ? ms(incident.resolvedAt) : input.now;
    if (!(opened <= end && closed >= start)) continue;
    incidents.push({
      incident,
      relation: depth === 0 ? 'self' : 'dependency',
      depth,
      minutesAfterBurn: Math.round(((opened - start) / MINUTE_MS) * 10) / 10,
    });
  }
  incidents.sort((a, b) => a.depth - b.depth || ms(a.incident.createdAt) - ms(b.incident.createdAt));

  const dependencies: EpisodeDependencyBurn[] = [];
  for (const [ref, depth] of Object.entries(input.dependencies)) {
    const own = (input.episodesByEntity[ref] ?? []).filter(e => overlapMs(start, end, ms(e.start), ms(e.end)) > 0);
    if (!own.length) continue;
    // Merge the dependency's SLOs' intervals so two SLOs burning at once count once.
    const intervals = own.map(e => [ms(e.start), ms(e.end)] as const).sort((a, b) => a[0] - b[0]);
    let overlap = 0;
    let cursor = -Infinity;
    for (const [a, b] of intervals) {
      const from = Math.max(a, cursor, start);
      const to = Math.min(b, end);
      if (to > from) overlap += to - from;
      cursor = Math.max(cursor, b);
    }
    dependencies.push({
      entityRef: ref,
      depth,
      overlapMinutes: Math.round(overlap / MINUTE_MS),
      sloNames: [...new Set(own.map(e => e.sloName))].sort(),
    });
  }
  dependencies.sort((a, b) => b.overlapMinutes - a.overlapMinutes || a.depth - b.depth);

  const { buckets: _buckets, ...rest } = episode;
  return { ...rest, cause: chooseCause(input, { start, end }, deployments, incidents, dependencies), deployments, incidents, dependencies };
}

function incidentLabel(incident: LedgerIncident): string {
  const name = incident.number ? `#${incident.number}` : incident.id;
  return incident.title ? `${name} ${incident.title}` : name;
}

function chooseCause(
  input: LedgerAttributionInput,
  episode: { start: number; end: number },
  deployments: EpisodeDeployCandidate[],
  incidents: EpisodeIncident[],
  dependencies: EpisodeDependencyBurn[],
): LedgerCause {
  const best = deployments[0];
  if (best && best.confidence.score >= 0.5) {
    const d = best.deployment;
    const where = d.entityRef === input.entityRef ? '' : ` of ${d.entityRef}`;
    const before = best.minutesBeforeBurn <= 0 ? 'as the burn began' : `${best.minutesBeforeBurn} min before the burn began`;
    return {
      source: 'deployments',
      key: `deployment:${d.id}`,
      label: `deploy ${d.version}${where}`,
      entityRef: d.entityRef,
      confidence: { score: best.confidence.score, level: best.confidence.level },
      reason: `started ${before}; confidence ${best.confidence.score.toFixed(2)} (${best.confidence.level})`,
    };
  }
  // A dependency burning alongside, or with an incident open during the episode.
  const dependencyIncidents = incidents.filter(i => i.relation === 'dependency');
  const dependencyMinutes = new Map<string, { minutes: number; depth: number; why: string }>();
  for (const d of dependencies) {
    dependencyMinutes.set(d.entityRef, { minutes: d.overlapMinutes, depth: d.depth, why: `burned its own budget for ${d.overlapMinutes} min of it` });
  }
  for (const i of dependencyIncidents) {
    const opened = ms(i.incident.createdAt);
    const closed = i.incident.resolvedAt ? ms(i.incident.resolvedAt) : input.now;
    const minutes = Math.round(overlapMs(episode.start, episode.end, opened, closed) / MINUTE_MS);
    const known = dependencyMinutes.get(i.incident.entityRef);
    const why = `incident ${incidentLabel(i.incident)} was open for ${minutes} min of it`;
    if (!known || minutes > known.minutes)
      dependencyMinutes.set(i.incident.entityRef, { minutes, depth: i.depth, why: known ? `${known.why}; ${why}` : why });
  }
  const dependency = [...dependencyMinutes].sort((a, b) => b[1].minutes - a[1].minutes || a[1].depth - b[1].depth)[0];
  if (dependency) {
    return {
      source: 'dependencies',
      key: dependency[0],
      label: dependency[0],
      entityRef: dependency[0],
      confidence: null,
      reason: `the dependency ${dependency[1].why}`,
    };
  }
  const own = incidents.find(i => i.relation === 'self');
  if (own) {
    return {
      source: 'incidents',
      key: `incident:${own.incident.id}`,
      label: incidentLabel(own.incident),
      entityRef: own.incident.entityRef,
      confidence: null,
      reason:
        own.minutesAfterBurn >= 0
          ? `opened ${own.minutesAfterBurn} min after the burn began`
          : `open since ${-own.minutesAfterBurn} min before the burn began`,
    };
  }
  const weak = best ? `; the nearest deploy (${best.deployment.version}) has only ${best.confidence.score.toFixed(2)} confidence` : '';
  return {
    source: 'unattributed',
    key: 'unattributed',
    label: 'unattributed',
    entityRef: null,
    confidence: null,
    reason: `no deploy of medium or high confidence, no dependency burning, no incident open${weak}`,
  };
}
