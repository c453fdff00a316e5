import { GateVerdict } from '../gates/gate';
import { ServiceTier, SloStatus } from '../types';

/** The five components of a service's reliability score (DESIGN §8). @public */
export type ScoreComponentId = 'slo-compliance' | 'incidents' | 'deployments' | 'error-budget' | 'dependencies';

/** One component's points, or why it has none. @public */
export interface ScoreComponent {
  id: ScoreComponentId;
  /** Its weight: 30, 25, 20, 15 and 10 points. */
  maxPoints: number;
  /** Null when there is no data: the component is then left out of the weighting. */
  points: number | null;
  /** The numbers behind the points (e.g. `{ met: 1, total: 2 }`). */
  numbers: Record<string, number | null>;
  /** In words: how the points came about, or which data is missing. */
  detail: string;
}

/** A service's reliability score. @public */
export interface ServiceScore {
  /** 0–100 over the components with data; null when none has data. */
  score: number | null;
  components: ScoreComponent[];
}

/** @public */
export type PortfolioStatus = 'healthy' | 'warning' | 'critical';

/** One service of the portfolio. @public */
export interface PortfolioService {
  entityRef: string;
  name: string;
  title?: string;
  tier: ServiceTier;
  owner: string | null;
  system: string | null;
  status: PortfolioStatus;
  /** The worst SLO status. */
  budgetStatus: SloStatus;
  /** Lowest remaining budget ratio of its SLOs, null when unknown. */
  minRemainingRatio: number | null;
  /** The SLO with the lowest remaining budget. */
  worstSlo: string | null;
  /** How many SLOs are below their target. */
  slosBelowTarget: number;
  sloCount: number;
  gateVerdict: GateVerdict | null;
  /** Critical drift findings of the latest check, null before a first check. */
  driftCritical: number | null;
  score: number | null;
  components: ScoreComponent[];
}

/** A team's, system's or the organisation's roll-up. @public */
export interface PortfolioRollup {
  /** Group or System entity ref; `org` for the organisation. */
  ref: string;
  /** Tier-weighted (×3, ×2, ×1) mean score of its services with a score; null when none has one. */
  score: number | null;
  status: PortfolioStatus;
  services: number;
  byStatus: Record<PortfolioStatus, number>;
  tier1BelowTarget: number;
  /** Events-weighted budget of its availability SLOs: 1 − Σbad / Σallowed-bad; null without events. */
  compositeRemainingRatio: number | null;
  /** Score 7 and 30 days ago (stored daily), null when not stored yet. */
  score7dAgo: number | null;
  score30dAgo: number | null;
}

/** A sentence about the portfolio worth reading first. @public */
export interface PortfolioInsight {
  severity: 'info' | 'warning' | 'critical';
  message: string;
  /** The entities it is about. */
  refs: string[];
}

/** Response of `GET /v1/portfolio?format=json`. @public */
export interface PortfolioResponse {
  generatedAt: string;
  /** The filters applied. */
  filters: { group?: string; system?: string; tier?: ServiceTier };
  status: PortfolioStatus;
  /** 0 healthy, 1 warning, 2 critical (the gate's exit codes). */
  exitCode: 0 | 1 | 2;
  org: PortfolioRollup;
  teams: PortfolioRollup[];
  systems: PortfolioRollup[];
  services: PortfolioService[];
  insights: PortfolioInsight[];
}

/** One stored daily score. @public */
export interface ScoreHistoryPoint {
  day: string;
  score: number | null;
}

/** Response of `GET /v1/scores/history?ref=&days=`. @public */
export interface ScoreHistoryResponse {
  ref: string;
  points: ScoreHistoryPoint[];
}
