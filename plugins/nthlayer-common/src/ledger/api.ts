import { DeploymentRecord } from '../types';

/** Minutes in one burn bucket: the ledger reads the 5-minute burn rate (DESIGN §5). @public */
export const LEDGER_BUCKET_MINUTES = 5;

/**
 * Events counted in one bucket, `(end − bucket, end]`, as `increase(...[5m])` at a 5-minute
 * step counts them. `end` is Unix milliseconds.
 *
 * @public
 */
export interface BurnBucket {
  end: number;
  good: number;
  total: number;
}

/**
 * An interval in which the 5-minute burn rate stayed above 1 (faster than the budget allows),
 * with the events counted in it. Times are ISO.
 *
 * @public
 */
export interface BurnEpisode {
  sloName: string;
  /** Start of the first burning bucket. */
  start: string;
  /** End of the last burning bucket. */
  end: string;
  /** The newest bucket looked at was still burning: the episode is going on. */
  ongoing: boolean;
  /** Bad (`total − good`) and all events in the episode's buckets. */
  badEvents: number;
  totalEvents: number;
  /** The highest 5-minute burn rate in it. */
  peakBurnRate: number;
}

/** A detected episode with the buckets it is made of (what the backend stores). @public */
export interface BurnEpisodeWithBuckets extends BurnEpisode {
  buckets: BurnBucket[];
}

/** Where a burn episode's minutes go: the ledger's sources. @public */
export type LedgerSource = 'deployments' | 'incidents' | 'dependencies' | 'unattributed';

/** Confidence levels of a cause (DESIGN §5: above 0.8 is high). @public */
export type ConfidenceLevel = 'high' | 'medium' | 'low';

/**
 * A deployment's confidence of having caused a burn (DESIGN §5), with every factor and the
 * numbers behind it.
 *
 * @public
 */
export interface DeployConfidence {
  /** Sum of the factors, capped at 1. */
  score: number;
  level: ConfidenceLevel;
  factors: {
    /** `max(0, 0.5 − 0.1 × hours)` between the deploy's start and the burn's start. */
    proximity: { score: number; hours: number };
    /**
     * 0.3 when the deploy is of the burning service itself or of a direct dependency, 0.15 of
     * a transitive dependency.
     */
    dependency: { score: number; relation: 'self' | 'dependency'; depth: number };
    /**
     * `0.2 × followed / earlier`: of the deploying service's earlier deploys, the share followed
     * within 5 hours by an incident on it or a burn episode of it.
     */
    history: { score: number; earlier: number; followed: number };
  };
}

/** A deployment of the service, or of one of its dependencies, as the ledger reads it. @public */
export type LedgerDeployment = Pick<
  DeploymentRecord,
  'id' | 'entityRef' | 'version' | 'commit' | 'author' | 'startedAt' | 'status' | 'labels' | 'url'
>;

/** An incident of the service or of a dependency, as the ledger reads it. @public */
export interface LedgerIncident {
  id: string;
  entityRef: string;
  number: string | null;
  title: string | null;
  urgency: string | null;
  priority: string | null;
  url: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

/** A deploy that started up to 5 hours before an episode, with its confidence. @public */
export interface EpisodeDeployCandidate {
  deployment: LedgerDeployment;
  /** Minutes from the deploy's start to the burn's start (negative: it started inside the first bucket). */
  minutesBeforeBurn: number;
  confidence: DeployConfidence;
}

/** An incident open during an episode, on the service or on a dependency. @public */
export interface EpisodeIncident {
  incident: LedgerIncident;
  relation: 'self' | 'dependency';
  /** 0 for the service itself, 1 for a direct dependency, … */
  depth: number;
  /** Minutes from the burn's start to the incident's creation (negative: opened before it). */
  minutesAfterBurn: number;
}

/** A dependency that was burning its own budget during the episode. @public */
export interface EpisodeDependencyBurn {
  entityRef: string;
  depth: number;
  /** Minutes of this episode during which the dependency burned too. */
  overlapMinutes: number;
  /** The dependency's SLOs that burned. */
  sloNames: string[];
}

/** What the ledger decided an episode's burn came from. @public */
export interface LedgerCause {
  source: LedgerSource;
  /** `deployment:<id>`, `incident:<id>`, the dependency's entity ref, or `unattributed`. */
  key: string;
  /** Readable: `deploy v4.18.0 of component:default/checkout-api`, `PD-1234 Card processor down`, … */
  label: string;
  /** The entity the cause is on. */
  entityRef: string | null;
  /** A deploy's confidence; an incident or dependency burn is evidence, not a score. */
  confidence: { score: number; level: ConfidenceLevel } | null;
  /** The rule that picked it, in words. */
  reason: string;
}

/**
 * One episode with its attribution: the chosen cause, and every candidate with the numbers
 * behind it (never just a score).
 *
 * @public
 */
export interface AttributedEpisode extends BurnEpisode {
  /** Minutes of the SLO's budget burned in the window (events-weighted, as the budget card). */
  burnedMinutes: number;
  /** Began before the window: only the part inside it is counted. */
  clipped: boolean;
  cause: LedgerCause;
  deployments: EpisodeDeployCandidate[];
  incidents: EpisodeIncident[];
  dependencies: EpisodeDependencyBurn[];
}

/** Burned minutes by source, plus the burn no episode holds. @public */
export interface LedgerBurnBySource {
  deployments: number;
  incidents: number;
  dependencies: number;
  unattributed: number;
  /**
   * Burn at or below the sustainable pace (5-minute burn rate ≤ 1), outside every episode:
   * the window's consumption less the episodes' burn. Null when the window is not the SLO's.
   */
  baseline: number | null;
}

/** One top cause with its total over the window's episodes. @public */
export interface LedgerTopCause extends LedgerCause {
  sloName: string;
  burnedMinutes: number;
  episodes: number;
}

/** One SLO's ledger. @public */
export interface LedgerSlo {
  sloName: string;
  targetPercent: number;
  windowMinutes: number;
  /** `(1 − T) × W`. */
  budgetMinutes: number;
  /** The window's consumption (the budget card's figure); null without a measurement or for a shorter slice. */
  consumedMinutes: number | null;
  burned: LedgerBurnBySource;
  episodes: AttributedEpisode[];
}

/** A deployment of the service and what it did to the budgets. @public */
export interface DeploymentImpactSummary {
  deployment: LedgerDeployment;
  /** high / medium / low: the confidence of its strongest episode; clean: no burn followed it. */
  impact: ConfidenceLevel | 'clean';
  confidence: { score: number; level: ConfidenceLevel } | null;
  /** Minutes of budget burned by the episodes attributed to it, over every SLO. */
  burnedMinutes: number;
  /** Episodes attributed to it (here and on services that depend on it). */
  episodes: number;
}

/**
 * `GET /v1/entities/{kind}/{namespace}/{name}/ledger?window=30d`: burn of the window by
 * source, the top causes and every attributed episode per SLO. `computedAt` is null before
 * the ledger task first ran for the entity.
 *
 * @public
 */
export interface EntityLedgerResponse {
  entityRef: string;
  /** The slice asked for (`30d`), its minutes and where it starts (ISO). */
  window: string;
  windowMinutes: number;
  from: string;
  computedAt: string | null;
  slos: LedgerSlo[];
  /** Largest causes first, at most 10. */
  topCauses: LedgerTopCause[];
  /** Unattributed episode burn ÷ all episode burn, over every SLO; null when nothing burned. */
  unattributedRatio: number | null;
  /** The service's deploys in the window, newest first, with their impact. */
  deployments: DeploymentImpactSummary[];
}

/** One moment of a deploy's impact. @public */
export interface ImpactTimelineEvent {
  at: string;
  kind: 'deploy-started' | 'burn-began' | 'incident-opened' | 'incident-resolved' | 'rollback' | 'recovered';
  label: string;
}

/**
 * `GET /v1/deployments/{id}/impact`: the deploy's burn, its confidence and its timeline
 * (deploy started, burn began, incident opened, rollback, recovered).
 *
 * @public
 */
export interface DeploymentImpactResponse extends DeploymentImpactSummary {
  entityRef: string;
  /** The episodes attributed to the deploy, on its service and on services depending on it. */
  attributed: Array<{ entityRef: string; episode: AttributedEpisode }>;
  timeline: ImpactTimelineEvent[];
}
