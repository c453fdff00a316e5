import {
  PortfolioInsight,
  PortfolioResponse,
  PortfolioRollup,
  PortfolioService,
  PortfolioStatus,
  ScoreComponent,
  ScoreComponentId,
  ScoreHistoryResponse,
  ServiceTier,
  SloStatus,
} from '@nthlayer/backstage-plugin-common';

/**
 * Test fixtures of the scorecard page and the team and system cards: the demo's four teams.
 * Scores and roll-ups are computed the way the types document them (components with data
 * weighted by their points; tier-weighted ×3, ×2, ×1 means), so each answer is one the
 * backend can produce.
 */

const WEIGHTS: Record<ScoreComponentId, number> = {
  'slo-compliance': 30,
  incidents: 25,
  deployments: 20,
  'error-budget': 15,
  dependencies: 10,
};

/** The five components, each with the share of its points given (0–1) or null for no data. */
export function components(
  shares: Partial<Record<ScoreComponentId, number | null>> = {},
): ScoreComponent[] {
  return (Object.keys(WEIGHTS) as ScoreComponentId[]).map(id => {
    const share = shares[id] === undefined ? 1 : shares[id]!;
    const points = share === null ? null : Math.round(WEIGHTS[id] * share * 10) / 10;
    const numbers: Record<string, number | null> = share === null ? {} : { share };
    return {
      id,
      maxPoints: WEIGHTS[id],
      points,
      numbers,
      detail: share === null ? 'no data' : `${points} of ${WEIGHTS[id]} points`,
    };
  });
}

/** 0–100 over the components with data; null when none has data. */
export function scoreOf(list: ScoreComponent[]): number | null {
  const withData = list.filter(c => c.points !== null);
  if (withData.length === 0) return null;
  const max = withData.reduce((sum, c) => sum + c.maxPoints, 0);
  const points = withData.reduce((sum, c) => sum + (c.points ?? 0), 0);
  return Math.round((points / max) * 1000) / 10;
}

export function service(
  name: string,
  options: {
    tier: ServiceTier;
    owner: string;
    system?: string;
    status?: PortfolioStatus;
    budgetStatus?: SloStatus;
    minRemainingRatio?: number | null;
    slosBelowTarget?: number;
    shares?: Partial<Record<ScoreComponentId, number | null>>;
  },
): PortfolioService {
  const list = components(options.shares);
  return {
    entityRef: `component:default/${name}`,
    name,
    tier: options.tier,
    owner: options.owner,
    system: options.system ?? 'system:default/commerce',
    status: options.status ?? 'healthy',
    budgetStatus: options.budgetStatus ?? 'healthy',
    minRemainingRatio:
      options.minRemainingRatio === undefined ? 0.8 : options.minRemainingRatio,
    worstSlo: 'availability',
    slosBelowTarget: options.slosBelowTarget ?? 0,
    sloCount: 2,
    gateVerdict: 'allow',
    driftCritical: 0,
    score: scoreOf(list),
    components: list,
  };
}

const PAYMENTS = 'group:default/team-payments';
const PLATFORM = 'group:default/team-platform';
const GROWTH = 'group:default/team-growth';
const DATA = 'group:default/team-data';
export const TEAMS = [PAYMENTS, PLATFORM, GROWTH, DATA];
export const COMMERCE = 'system:default/commerce';
export const MARKETING = 'system:default/marketing';

export const services: PortfolioService[] = [
  service('checkout-api', {
    tier: 1,
    owner: PAYMENTS,
    status: 'critical',
    budgetStatus: 'critical',
    minRemainingRatio: 0.08,
    slosBelowTarget: 1,
    shares: { 'slo-compliance': 0.5, incidents: 0.6, 'error-budget': 0.1 },
  }),
  service('payment-api', { tier: 1, owner: PAYMENTS, minRemainingRatio: 0.92 }),
  service('refund-worker', {
    tier: 2,
    owner: PAYMENTS,
    shares: { incidents: null, deployments: 0.9 },
  }),
  // Nothing measured yet: no score, never 0.
  service('legacy-billing', {
    tier: 2,
    owner: PAYMENTS,
    status: 'warning',
    budgetStatus: 'no-data',
    minRemainingRatio: null,
    shares: {
      'slo-compliance': null,
      incidents: null,
      deployments: null,
      'error-budget': null,
      dependencies: null,
    },
  }),
  service('auth-api', {
    tier: 1,
    owner: PLATFORM,
    status: 'warning',
    budgetStatus: 'warning',
    minRemainingRatio: 0.2,
    slosBelowTarget: 1,
    shares: { 'slo-compliance': 0.5, 'error-budget': 0.3 },
  }),
  service('api-gateway', { tier: 1, owner: PLATFORM, minRemainingRatio: 0.95 }),
  service('notification-worker', {
    tier: 3,
    owner: PLATFORM,
    shares: { deployments: 0.7 },
  }),
  service('catalog-api', { tier: 2, owner: GROWTH, shares: { incidents: 0.8 } }),
  service('coupon-api', {
    tier: 3,
    owner: GROWTH,
    system: MARKETING,
    status: 'critical',
    budgetStatus: 'exhausted',
    minRemainingRatio: -0.1,
    slosBelowTarget: 2,
    shares: { 'slo-compliance': 0, 'error-budget': 0, incidents: 0.4 },
  }),
  service('search-indexer', { tier: 2, owner: DATA, shares: { deployments: 0.5 } }),
  service('clickstream-ingest', {
    tier: 3,
    owner: DATA,
    budgetStatus: 'pending',
    minRemainingRatio: null,
    shares: { 'slo-compliance': null, 'error-budget': null, incidents: 0.9 },
  }),
];

const TIER_WEIGHT: Record<ServiceTier, number> = { 1: 3, 2: 2, 3: 1 };
const WORST: PortfolioStatus[] = ['healthy', 'warning', 'critical'];

/** The roll-up of some services, the way the backend computes one. */
export function rollup(
  ref: string,
  list: PortfolioService[],
  history: { score7dAgo?: number | null; score30dAgo?: number | null } = {},
): PortfolioRollup {
  const scored = list.filter(s => s.score !== null);
  const weight = scored.reduce((sum, s) => sum + TIER_WEIGHT[s.tier], 0);
  const score = scored.length
    ? Math.round(
        (scored.reduce((sum, s) => sum + s.score! * TIER_WEIGHT[s.tier], 0) / weight) * 10,
      ) / 10
    : null;
  const byStatus: Record<PortfolioStatus, number> = { healthy: 0, warning: 0, critical: 0 };
  for (const s of list) byStatus[s.status] += 1;
  const status = WORST.reduce<PortfolioStatus>(
    (worst, s) => (byStatus[s] > 0 ? s : worst),
    'healthy',
  );
  const ratios = list.map(s => s.minRemainingRatio).filter((r): r is number => r !== null);
  return {
    ref,
    score,
    status,
    services: list.length,
    byStatus,
    tier1BelowTarget: list.filter(s => s.tier === 1 && s.slosBelowTarget > 0).length,
    compositeRemainingRatio: ratios.length
      ? Math.round((ratios.reduce((a, b) => a + b, 0) / ratios.length) * 1000) / 1000
      : null,
    score7dAgo: history.score7dAgo === undefined ? null : history.score7dAgo,
    score30dAgo: history.score30dAgo === undefined ? null : history.score30dAgo,
  };
}

export const insights: PortfolioInsight[] = [
  {
    severity: 'critical',
    message:
      'checkout-api (tier 1) has 8.0 % of its error budget left and its deploy gate blocks.',
    refs: ['component:default/checkout-api'],
  },
  {
    severity: 'warning',
    message: 'team-growth lost 6.5 points in 7 days, most of them on coupon-api.',
    refs: [GROWTH, 'component:default/coupon-api'],
  },
  {
    severity: 'info',
    message: '2 services have no score yet: nothing was measured for them.',
    refs: ['component:default/legacy-billing', 'component:default/clickstream-ingest'],
  },
];

const TEAM_HISTORY: Record<string, { score7dAgo: number | null; score30dAgo: number | null }> = {
  [PAYMENTS]: { score7dAgo: 80, score30dAgo: 85.5 },
  [PLATFORM]: { score7dAgo: 84, score30dAgo: null },
  [GROWTH]: { score7dAgo: 82, score30dAgo: 80 },
  [DATA]: { score7dAgo: null, score30dAgo: null },
};

/** What `GET /v1/portfolio` answers for these services, with the filters applied. */
export function portfolio(
  filters: PortfolioResponse['filters'] = {},
  list: PortfolioService[] = services,
): PortfolioResponse {
  const shown = list.filter(
    s =>
      (!filters.group || s.owner === filters.group) &&
      (!filters.system || s.system === filters.system) &&
      (filters.tier === undefined || s.tier === filters.tier),
  );
  const refs = (key: 'owner' | 'system') =>
    [...new Set(shown.map(s => s[key]).filter((r): r is string => Boolean(r)))].sort();
  const org = rollup('org', shown, { score7dAgo: 78, score30dAgo: 81 });
  return {
    generatedAt: '2026-03-01T10:00:00.000Z',
    filters,
    status: org.status,
    exitCode: (WORST.indexOf(org.status) as 0 | 1 | 2),
    org,
    teams: refs('owner').map(ref =>
      rollup(ref, shown.filter(s => s.owner === ref), TEAM_HISTORY[ref]),
    ),
    systems: refs('system').map(ref =>
      rollup(ref, shown.filter(s => s.system === ref)),
    ),
    services: shown,
    insights: filters.group || filters.system ? [] : insights,
  };
}

/** `count` services over the four teams, tiers, statuses and two systems. */
export function manyServices(count: number): PortfolioService[] {
  const statuses: PortfolioStatus[] = ['healthy', 'warning', 'critical'];
  return Array.from({ length: count }, (_, i) =>
    service(`svc-${String(i).padStart(5, '0')}`, {
      tier: ((i % 3) + 1) as ServiceTier,
      owner: TEAMS[i % 4],
      system: i % 2 ? COMMERCE : MARKETING,
      status: statuses[i % 3],
      shares: { 'slo-compliance': (i % 10) / 10 },
    }),
  );
}

/** Daily scores of `ref` for the last `days` days ending 2026-03-01, the oldest ones not stored. */
export function scoreHistory(ref = 'org', days = 90): ScoreHistoryResponse {
  const end = Date.parse('2026-03-01T00:00:00Z');
  return {
    ref,
    points: Array.from({ length: days }, (_, i) => {
      const day = new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
      return { day, score: i < 5 ? null : 70 + (i % 10) };
    }),
  };
}
