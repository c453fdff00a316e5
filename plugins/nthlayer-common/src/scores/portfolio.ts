import { GateVerdict } from '../gates/gate';
import { ServiceTier, SloStatus } from '../types';
import { PortfolioResponse, PortfolioRollup, PortfolioService, PortfolioStatus } from './api';
import { portfolioInsights } from './insights';
import { finite, roundTo } from './numbers';
import { ServiceScoreInput, ServiceScoreSlo, scoreService } from './score';

/** How much a service's score counts in a roll-up, by tier: tier 1 ×3, tier 2 ×2, tier 3 ×1. @public */
export const TIER_WEIGHTS: Record<ServiceTier, number> = { 1: 3, 2: 2, 3: 1 };

/**
 * The tier-weighted mean score Σ w·s / Σ w (w from {@link TIER_WEIGHTS}) over the services
 * that have a score, rounded to one decimal; null when none has one.
 *
 * @public
 */
export function weightedScore(services: Array<{ tier: ServiceTier; score: number | null }>): number | null {
  let sum = 0;
  let weights = 0;
  for (const s of services) {
    if (!finite(s.score)) continue;
    const w = TIER_WEIGHTS[s.tier] ?? TIER_WEIGHTS[3];
    sum += w * s.score;
    weights += w;
  }
  return weights > 0 ? roundTo(sum / weights, 1) : null;
}

const BUDGET_RANK: Record<SloStatus, number> = {
  healthy: 0,
  pending: 1,
  'no-data': 2,
  warning: 3,
  critical: 4,
  exhausted: 5,
};

/**
 * The worst of some SLO statuses, in the order exhausted \> critical \> warning \> no-data \>
 * pending \> healthy; `no-data` when there is none.
 *
 * @public
 */
export function worstBudgetStatus(statuses: SloStatus[]): SloStatus {
  if (statuses.length === 0) return 'no-data';
  return statuses.reduce((worst, s) => ((BUDGET_RANK[s] ?? 0) > (BUDGET_RANK[worst] ?? 0) ? s : worst));
}

const STATUS_RANK: Record<PortfolioStatus, number> = { healthy: 0, warning: 1, critical: 2 };

/** The worst of some portfolio statuses (critical \> warning \> healthy); healthy when there is none. */
function worstStatus(statuses: PortfolioStatus[]): PortfolioStatus {
  return statuses.reduce<PortfolioStatus>((worst, s) => (STATUS_RANK[s] > STATUS_RANK[worst] ? s : worst), 'healthy');
}

/** One service as the portfolio is built from. @public */
export interface PortfolioServiceInput {
  entityRef: string;
  name: string;
  title?: string;
  tier: ServiceTier;
  /** Owner (Group) entity ref, null when none. */
  owner: string | null;
  /** System entity ref, null when none. */
  system: string | null;
  /** What the deployment gate would answer now, null when unknown. */
  gateVerdict: GateVerdict | null;
  /** Critical drift findings of the latest check, null before a first check. */
  driftCritical: number | null;
  scoreInput: ServiceScoreInput;
}

/** Options of {@link buildPortfolio}. @public */
export interface BuildPortfolioOptions {
  services: PortfolioServiceInput[];
  /** Only the services owned by `group`, in `system` and of `tier` (all given must match). */
  filters?: { group?: string; system?: string; tier?: ServiceTier };
  /** When the portfolio is built (ISO 8601); the functions never read the clock. */
  generatedAt: string;
  /** A stored daily score of `ref` (an entity ref, a group/system ref or 'org') `daysAgo` days before generatedAt; null when none stored. */
  pastScore?: (ref: string, daysAgo: 7 | 30) => number | null;
}

/**
 * A service's portfolio status: critical when its budget status is critical or exhausted or
 * the gate would block; warning when the budget status is warning or no-data, the gate would
 * warn, there is critical drift (driftCritical \> 0) or the score is below 70; healthy otherwise.
 *
 * @public
 */
export function servicePortfolioStatus(s: {
  budgetStatus: SloStatus;
  gateVerdict: GateVerdict | null;
  driftCritical: number | null;
  score: number | null;
}): PortfolioStatus {
  if (s.budgetStatus === 'critical' || s.budgetStatus === 'exhausted' || s.gateVerdict === 'block') return 'critical';
  if (
    s.budgetStatus === 'warning' ||
    s.budgetStatus === 'no-data' ||
    s.gateVerdict === 'warn' ||
    (s.driftCritical !== null && s.driftCritical > 0) ||
    (s.score !== null && s.score < 70)
  ) {
    return 'warning';
  }
  return 'healthy';
}

/** The exit code of a portfolio status, as the gate's: 0 healthy, 1 warning, 2 critical. @public */
export function portfolioExitCode(status: PortfolioStatus): 0 | 1 | 2 {
  return STATUS_RANK[status] as 0 | 1 | 2;
}

/**
 * The events-weighted remaining budget of availability SLOs with event counts:
 * allowed = Σ total × (1 − target/100), bad = Σ max(0, total − good); 1 − bad / allowed rounded
 * to four decimals (negative when overspent); null when allowed is not positive.
 */
function compositeRemainingRatio(slos: ServiceScoreSlo[]): number | null {
  let allowed = 0;
  let bad = 0;
  for (const slo of slos) {
    if (slo.kind !== 'availability' || !finite(slo.goodEvents) || !finite(slo.totalEvents)) continue;
    allowed += slo.totalEvents * (1 - slo.targetPercent / 100);
    bad += Math.max(0, slo.totalEvents - slo.goodEvents);
  }
  if (!(allowed > 0)) return null;
  return roundTo(1 - bad / allowed, 4);
}

function rollup(
  ref: string,
  services: Array<{ service: PortfolioService; input: PortfolioServiceInput }>,
  pastScore: BuildPortfolioOptions['pastScore'],
): PortfolioRollup {
  const byStatus: Record<PortfolioStatus, number> = { healthy: 0, warning: 0, critical: 0 };
  for (const { service } of services) byStatus[service.status] += 1;
  return {
    ref,
    score: weightedScore(services.map(s => s.service)),
    status: worstStatus(services.map(s => s.service.status)),
    services: services.length,
    byStatus,
    tier1BelowTarget: services.filter(s => s.service.tier === 1 && s.service.slosBelowTarget > 0).length,
    compositeRemainingRatio: compositeRemainingRatio(services.flatMap(s => s.input.scoreInput.slos)),
    score7dAgo: pastScore?.(ref, 7) ?? null,
    score30dAgo: pastScore?.(ref, 30) ?? null,
  };
}

function groupBy<T>(items: T[], key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Ascending scores, null last. */
function byScore(a: number | null, b: number | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return a - b;
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
function byText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** One service of the portfolio: its score, budget status and portfolio status. */
function portfolioService(input: PortfolioServiceInput): PortfolioService {
  const { slos } = input.scoreInput;
  const { score, components } = scoreService(input.scoreInput);
  const budgetStatus = worstBudgetStatus(slos.map(s => s.status));
  let worst: ServiceScoreSlo | undefined;
  for (const slo of slos) {
    if (finite(slo.remainingRatio) && (worst === undefined || slo.remainingRatio < (worst.remainingRatio as number))) worst = slo;
  }
  return {
    entityRef: input.entityRef,
    name: input.name,
    ...(input.title !== undefined ? { title: input.title } : {}),
    tier: input.tier,
    owner: input.owner,
    system: input.system,
    status: servicePortfolioStatus({ budgetStatus, gateVerdict: input.gateVerdict, driftCritical: input.driftCritical, score }),
    budgetStatus,
    minRemainingRatio: worst ? (worst.remainingRatio as number) : null,
    worstSlo: worst ? worst.name : null,
    slosBelowTarget: slos.filter(s => finite(s.sli) && s.sli < s.targetPercent).length,
    sloCount: slos.length,
    gateVerdict: input.gateVerdict,
    driftCritical: input.driftCritical,
    score,
    components,
  };
}

/**
 * The reliability portfolio (`GET /v1/portfolio`): every service (after the filters: owner
 * equals `group`, system equals `system`, tier equals `tier`) with its score and status, rolled
 * up per team (owner), per system and for the organisation (`org`) over the filtered services.
 * A roll-up's score is tier-weighted ({@link weightedScore}), its status the worst of its
 * services', its composite budget events-weighted over its availability SLOs. Teams are sorted
 * worst score first (null last, then ref), systems by ref, services critical first, then by
 * score ascending (null last), then entity ref. Pure: the time and past scores are passed in.
 *
 * @public
 */
export function buildPortfolio(options: BuildPortfolioOptions): PortfolioResponse {
  const filters: PortfolioResponse['filters'] = {};
  if (options.filters?.group !== undefined) filters.group = options.filters.group;
  if (options.filters?.system !== undefined) filters.system = options.filters.system;
  if (options.filters?.tier !== undefined) filters.tier = options.filters.tier;

  const selected = options.services
    .filter(s => filters.group === undefined || s.owner === filters.group)
    .filter(s => filters.system === undefined || s.system === filters.system)
    .filter(s => filters.tier === undefined || s.tier === filters.tier)
    .map(input => ({ input, service: portfolioService(input) }));

  selected.sort(
    (a, b) =>
      STATUS_RANK[b.service.status] - STATUS_RANK[a.service.status] ||
      byScore(a.service.score, b.service.score) ||
      byText(a.service.entityRef, b.service.entityRef),
  );

  const teams = [...groupBy(selected, s => s.service.owner)]
    .map(([ref, members]) => rollup(ref, members, options.pastScore))
    .sort((a, b) => byScore(a.score, b.score) || byText(a.ref, b.ref));
  const systems = [...groupBy(selected, s => s.service.system)]
    .map(([ref, members]) => rollup(ref, members, options.pastScore))
    .sort((a, b) => byText(a.ref, b.ref));
  const services = selected.map(s => s.service);
  const status = worstStatus(services.map(s => s.status));

  const portfolio: Omit<PortfolioResponse, 'insights'> = {
    generatedAt: options.generatedAt,
    filters,
    status,
    exitCode: portfolioExitCode(status),
    org: rollup('org', selected, options.pastScore),
    teams,
    systems,
    services,
  };
  return { ...portfolio, insights: portfolioInsights(portfolio) };
}
