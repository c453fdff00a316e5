import { PortfolioResponse, PortfolioService } from './api';
import { portfolioInsights } from './insights';
import {
  PortfolioServiceInput,
  buildPortfolio,
  portfolioExitCode,
  servicePortfolioStatus,
  weightedScore,
  worstBudgetStatus,
} from './portfolio';
import { ServiceScoreSlo } from './score';

const PAYMENTS = 'group:default/team-payments';
const SEARCH = 'group:default/team-search';
const SHOP = 'system:default/shop';
const SEARCH_SYSTEM = 'system:default/search';
const NOW = '2026-03-01T00:00:00.000Z';

const avail = (targetPercent: number, good: number, total: number, over: Partial<ServiceScoreSlo> = {}): ServiceScoreSlo => ({
  name: 'availability',
  kind: 'availability',
  targetPercent,
  sli: (100 * good) / total,
  status: 'healthy',
  remainingRatio: null,
  goodEvents: good,
  totalEvents: total,
  ...over,
});

const service = (name: string, over: Partial<PortfolioServiceInput>, scoreInput: Partial<PortfolioServiceInput['scoreInput']>): PortfolioServiceInput => ({
  entityRef: `component:default/${name}`,
  name,
  tier: 2,
  owner: null,
  system: null,
  gateVerdict: 'allow',
  driftCritical: 0,
  ...over,
  scoreInput: {
    tier: over.tier ?? 2,
    slos: [],
    incidents: null,
    deployments: { succeeded: 0, failed: 0, rolledBack: 0 },
    dependencies: [],
    ...scoreInput,
  },
});

/**
 * Five services, scores by hand (incidents and dependencies have no data in all of them):
 * - checkout-api (tier 1, payments, shop): availability 99.9 %, 99 880 good of 100 000
 *   → SLI 99.88 < 99.9 (0 of 30), budget allowed 100, bad 120 → −0.2 (0 of 15), exhausted;
 *   4 deploys succeeded (20 of 20) → 20/65 = 30.8; critical (exhausted).
 * - payments-api (tier 2, payments, shop): 99 %, 9 950 of 10 000 → SLI 99.5 (30), allowed 100,
 *   bad 50 → 0.5 (7.5); 1 succeeded + 1 failed → 20 × (0.35 + 0.3) = 13 → 50.5/65 = 77.7; healthy.
 * - search (tier 3, search, no system): latency 95 %, SLI 96 (30), remaining 0.9 (13.5) → 43.5/45 =
 *   96.7; gate block, 2 critical drift findings → critical.
 * - legacy (tier 1, no owner, shop): no SLO, no data → score null, budget no-data → warning.
 * - search-indexer (tier 2, search, search system): 99.9 %, 19 990 of 20 000 → SLI 99.95 (30),
 *   allowed 20, bad 10 → 0.5 (7.5) → 37.5/45 = 83.3; gate warn → warning.
 */
const services = (): PortfolioServiceInput[] => [
  service(
    'payments-api',
    { owner: PAYMENTS, system: SHOP, tier: 2 },
    { slos: [avail(99, 9950, 10000, { remainingRatio: 0.5 })], deployments: { succeeded: 1, failed: 1, rolledBack: 0 } },
  ),
  service(
    'checkout-api',
    { owner: PAYMENTS, system: SHOP, tier: 1, title: 'Checkout API' },
    {
      slos: [avail(99.9, 99880, 100000, { remainingRatio: -0.2, status: 'exhausted' })],
      deployments: { succeeded: 4, failed: 0, rolledBack: 0 },
    },
  ),
  service(
    'search',
    { owner: SEARCH, tier: 3, gateVerdict: 'block', driftCritical: 2 },
    {
      slos: [
        {
          name: 'latency',
          kind: 'latency',
          targetPercent: 95,
          sli: 96,
          status: 'healthy',
          remainingRatio: 0.9,
          goodEvents: 960,
          totalEvents: 1000,
        },
      ],
    },
  ),
  service('legacy', { tier: 1, system: SHOP, driftCritical: null, gateVerdict: null }, {}),
  service(
    'search-indexer',
    { owner: SEARCH, system: SEARCH_SYSTEM, tier: 2, gateVerdict: 'warn' },
    { slos: [avail(99.9, 19990, 20000, { remainingRatio: 0.5 })] },
  ),
];

const refs = (list: Array<{ entityRef: string }>) => list.map(s => s.entityRef.replace('component:default/', ''));

describe('weightedScore', () => {
  it('weights tier 1 ×3, tier 2 ×2, tier 3 ×1', () => {
    // (3 × 90 + 2 × 60 + 1 × 30) / 6 = 420 / 6 = 70
    expect(weightedScore([{ tier: 1, score: 90 }, { tier: 2, score: 60 }, { tier: 3, score: 30 }])).toBe(70);
    // (3 × 50 + 100) / 4 = 62.5 — a plain mean would be 75
    expect(weightedScore([{ tier: 1, score: 50 }, { tier: 3, score: 100 }])).toBe(62.5);
    // (3 × 70 + 71) / 4 = 70.25 → 70.3
    expect(weightedScore([{ tier: 1, score: 70 }, { tier: 3, score: 71 }])).toBe(70.3);
  });

  it('leaves services without a score out, null when none has one', () => {
    expect(weightedScore([{ tier: 1, score: 80 }, { tier: 3, score: null }])).toBe(80);
    expect(weightedScore([{ tier: 1, score: null }])).toBeNull();
    expect(weightedScore([])).toBeNull();
  });
});

describe('worstBudgetStatus', () => {
  it('orders exhausted > critical > warning > no-data > pending > healthy', () => {
    expect(worstBudgetStatus(['healthy', 'exhausted', 'critical'])).toBe('exhausted');
    expect(worstBudgetStatus(['warning', 'critical', 'healthy'])).toBe('critical');
    expect(worstBudgetStatus(['no-data', 'warning'])).toBe('warning');
    expect(worstBudgetStatus(['pending', 'no-data', 'healthy'])).toBe('no-data');
    expect(worstBudgetStatus(['healthy', 'pending'])).toBe('pending');
    expect(worstBudgetStatus(['healthy'])).toBe('healthy');
    expect(worstBudgetStatus([])).toBe('no-data');
  });
});

describe('servicePortfolioStatus', () => {
  const base = { budgetStatus: 'healthy' as const, gateVerdict: 'allow' as const, driftCritical: 0, score: 90 };
  it.each([
    [{}, 'healthy'],
    [{ budgetStatus: 'pending' }, 'healthy'],
    [{ gateVerdict: null, driftCritical: null, score: null }, 'healthy'],
    [{ score: 70 }, 'healthy'],
    [{ score: 69.9 }, 'warning'],
    [{ budgetStatus: 'warning' }, 'warning'],
    [{ budgetStatus: 'no-data' }, 'warning'],
    [{ gateVerdict: 'warn' }, 'warning'],
    [{ driftCritical: 1 }, 'warning'],
    [{ budgetStatus: 'critical' }, 'critical'],
    [{ budgetStatus: 'exhausted' }, 'critical'],
    [{ gateVerdict: 'block', score: 99 }, 'critical'],
    [{ budgetStatus: 'warning', gateVerdict: 'block' }, 'critical'],
  ] as const)('%p → %p', (over, status) => {
    expect(servicePortfolioStatus({ ...base, ...over })).toBe(status);
  });

  it('maps statuses to exit codes 0, 1, 2', () => {
    expect([portfolioExitCode('healthy'), portfolioExitCode('warning'), portfolioExitCode('critical')]).toEqual([0, 1, 2]);
  });
});

describe('buildPortfolio', () => {
  const pastScores: Record<string, [number, number]> = {
    [PAYMENTS]: [60, 65],
    [SEARCH]: [92, 90],
    org: [70, 72],
  };
  const pastScore = (ref: string, daysAgo: 7 | 30) => pastScores[ref]?.[daysAgo === 7 ? 0 : 1] ?? null;

  it('scores and sorts the services: critical first, then by score (null last), then ref', () => {
    const p = buildPortfolio({ services: services(), generatedAt: NOW, pastScore });
    expect(refs(p.services)).toEqual(['checkout-api', 'search', 'search-indexer', 'legacy', 'payments-api']);
    expect(p.services.map(s => s.score)).toEqual([30.8, 96.7, 83.3, null, 77.7]);
    expect(p.services.map(s => s.status)).toEqual(['critical', 'critical', 'warning', 'warning', 'healthy']);
    const checkout = p.services[0];
    expect(checkout).toMatchObject({
      title: 'Checkout API',
      budgetStatus: 'exhausted',
      minRemainingRatio: -0.2,
      worstSlo: 'availability',
      slosBelowTarget: 1,
      sloCount: 1,
    });
    expect(checkout.components).toHaveLength(5);
    const legacy = p.services[3];
    expect(legacy).toMatchObject({ budgetStatus: 'no-data', minRemainingRatio: null, worstSlo: null, sloCount: 0, slosBelowTarget: 0 });
    expect('title' in legacy).toBe(false);
    expect(p.status).toBe('critical');
    expect(p.exitCode).toBe(2);
    expect(p.generatedAt).toBe(NOW);
    expect(p.filters).toEqual({});
  });

  it('rolls up the organisation, tier-weighted', () => {
    const p = buildPortfolio({ services: services(), generatedAt: NOW, pastScore });
    // (3 × 30.8 + 2 × 77.7 + 1 × 96.7 + 2 × 83.3) / (3 + 2 + 1 + 2) = 511.1 / 8 = 63.8875 → 63.9
    expect(p.org).toEqual({
      ref: 'org',
      score: 63.9,
      status: 'critical',
      services: 5,
      byStatus: { critical: 2, warning: 2, healthy: 1 },
      tier1BelowTarget: 1, // checkout-api; legacy has no SLO
      // availability only: allowed 100 + 100 + 20 = 220, bad 120 + 50 + 10 = 180 → 1 − 180/220 = 0.1818
      compositeRemainingRatio: 0.1818,
      score7dAgo: 70,
      score30dAgo: 72,
    });
  });

  it('rolls up teams (worst score first) and systems (by ref); services without owner or system go to none', () => {
    const p = buildPortfolio({ services: services(), generatedAt: NOW, pastScore });
    expect(p.teams.map(t => t.ref)).toEqual([PAYMENTS, SEARCH]);
    // payments: (3 × 30.8 + 2 × 77.7) / 5 = 247.8 / 5 = 49.56 → 49.6; budget: allowed 200, bad 170 → 0.15
    expect(p.teams[0]).toMatchObject({
      score: 49.6,
      status: 'critical',
      services: 2,
      byStatus: { critical: 1, warning: 0, healthy: 1 },
      tier1BelowTarget: 1,
      compositeRemainingRatio: 0.15,
      score7dAgo: 60,
      score30dAgo: 65,
    });
    // search: (1 × 96.7 + 2 × 83.3) / 3 = 263.3 / 3 = 87.77 → 87.8; only search-indexer is availability: 0.5
    expect(p.teams[1]).toMatchObject({ score: 87.8, services: 2, compositeRemainingRatio: 0.5, tier1BelowTarget: 0 });
    expect(p.teams.reduce((a, t) => a + t.services, 0)).toBe(4); // legacy has no owner

    expect(p.systems.map(s => s.ref)).toEqual([SEARCH_SYSTEM, SHOP]);
    // shop: checkout-api, payments-api, legacy (null score) → 49.6; legacy is warning
    expect(p.systems[1]).toMatchObject({ score: 49.6, services: 3, byStatus: { critical: 1, warning: 1, healthy: 1 }, tier1BelowTarget: 1, score7dAgo: null });
    expect(p.systems[0]).toMatchObject({ score: 83.3, services: 1, status: 'warning' });
  });

  it('sorts teams without a score last', () => {
    const input = services();
    input.push(service('empty', { owner: 'group:default/aaa', tier: 3 }, {}));
    const p = buildPortfolio({ services: input, generatedAt: NOW });
    expect(p.teams.map(t => [t.ref, t.score])).toEqual([
      [PAYMENTS, 49.6],
      [SEARCH, 87.8],
      ['group:default/aaa', null],
    ]);
  });

  it('has no past scores without pastScore', () => {
    const p = buildPortfolio({ services: services(), generatedAt: NOW });
    expect([p.org.score7dAgo, p.org.score30dAgo, p.teams[0].score7dAgo]).toEqual([null, null, null]);
  });

  it('asks pastScore for every roll-up ref', () => {
    const asked: string[] = [];
    buildPortfolio({
      services: services(),
      generatedAt: NOW,
      pastScore: (ref, days) => {
        asked.push(`${ref}@${days}`);
        return null;
      },
    });
    expect(asked.sort()).toEqual(
      [PAYMENTS, SEARCH, SEARCH_SYSTEM, SHOP, 'org'].flatMap(r => [`${r}@30`, `${r}@7`]).sort(),
    );
  });

  it('filters by group, system and tier, and rolls up only what is left', () => {
    const byGroup = buildPortfolio({ services: services(), generatedAt: NOW, filters: { group: PAYMENTS } });
    expect(refs(byGroup.services)).toEqual(['checkout-api', 'payments-api']);
    expect(byGroup.org.score).toBe(49.6);
    expect(byGroup.org.services).toBe(2);
    expect(byGroup.org.compositeRemainingRatio).toBe(0.15);
    expect(byGroup.teams.map(t => t.ref)).toEqual([PAYMENTS]);
    expect(byGroup.systems.map(s => [s.ref, s.services])).toEqual([[SHOP, 2]]);
    expect(byGroup.filters).toEqual({ group: PAYMENTS });

    const bySystem = buildPortfolio({ services: services(), generatedAt: NOW, filters: { system: SHOP } });
    expect(refs(bySystem.services)).toEqual(['checkout-api', 'legacy', 'payments-api']);

    const byTier = buildPortfolio({ services: services(), generatedAt: NOW, filters: { tier: 1 } });
    expect(refs(byTier.services)).toEqual(['checkout-api', 'legacy']);
    expect(byTier.org.score).toBe(30.8);

    const both = buildPortfolio({ services: services(), generatedAt: NOW, filters: { group: SEARCH, tier: 2 } });
    expect(refs(both.services)).toEqual(['search-indexer']);
    expect(both.status).toBe('warning');
    expect(both.exitCode).toBe(1);

    const none = buildPortfolio({ services: services(), generatedAt: NOW, filters: { group: 'group:default/nobody' } });
    expect(none.services).toEqual([]);
    expect(none.teams).toEqual([]);
    expect(none.org).toMatchObject({ score: null, status: 'healthy', services: 0, compositeRemainingRatio: null });
    expect(none.status).toBe('healthy');
    expect(none.exitCode).toBe(0);
  });

  it('picks the SLO with the lowest known budget and counts SLOs below target', () => {
    const p = buildPortfolio({
      generatedAt: NOW,
      services: [
        service('multi', { tier: 1 }, {
          slos: [
            avail(99.9, 999, 1000, { name: 'a', remainingRatio: null, sli: 99.9 }),
            avail(99.9, 998, 1000, { name: 'b', remainingRatio: 0.3, sli: 99.8, status: 'warning' }),
            avail(99.9, 998, 1000, { name: 'c', remainingRatio: 0.1, sli: null, status: 'critical' }),
          ],
        }),
      ],
    });
    expect(p.services[0]).toMatchObject({ worstSlo: 'c', minRemainingRatio: 0.1, slosBelowTarget: 1, sloCount: 3, budgetStatus: 'critical' });
    expect(p.org.tier1BelowTarget).toBe(1);
  });

  it('has an overspent composite budget (negative) and none without events', () => {
    // allowed 1000 × 0.01 = 10, bad 1000 − 975 = 25 → 1 − 25/10 = −1.5
    const over = buildPortfolio({ generatedAt: NOW, services: [service('x', {}, { slos: [avail(99, 975, 1000)] })] });
    expect(over.org.compositeRemainingRatio).toBe(-1.5);
    // 100 % target allows no bad event: no composite
    const strict = buildPortfolio({ generatedAt: NOW, services: [service('x', {}, { slos: [avail(100, 1000, 1000)] })] });
    expect(strict.org.compositeRemainingRatio).toBeNull();
    const noEvents = buildPortfolio({
      generatedAt: NOW,
      services: [service('x', {}, { slos: [avail(99, 975, 1000, { goodEvents: null })] })],
    });
    expect(noEvents.org.compositeRemainingRatio).toBeNull();
  });

  it('lists the insights of the portfolio', () => {
    const p = buildPortfolio({ services: services(), generatedAt: NOW, pastScore });
    expect(p.insights).toEqual([
      { severity: 'critical', message: '1 tier-1 service below target', refs: ['component:default/checkout-api'] },
      { severity: 'critical', message: 'checkout-api overspent its budget by 20 %', refs: ['component:default/checkout-api'] },
      { severity: 'warning', message: '1 service would be blocked from deploying', refs: ['component:default/search'] },
      { severity: 'warning', message: '1 service has critical drift', refs: ['component:default/search'] },
      // 60 → 49.6 is a fall of 10.4 points; search 92 → 87.8 is only 4.2
      { severity: 'warning', message: "team-payments' score fell from 60 to 49.6 in 7 days", refs: [PAYMENTS] },
    ]);
  });
});

describe('portfolioInsights', () => {
  const svc = (name: string, over: Partial<PortfolioService>): PortfolioService => ({
    entityRef: `component:default/${name}`,
    name,
    tier: 2,
    owner: null,
    system: null,
    status: 'healthy',
    budgetStatus: 'healthy',
    minRemainingRatio: 0.9,
    worstSlo: 'availability',
    slosBelowTarget: 0,
    sloCount: 1,
    gateVerdict: 'allow',
    driftCritical: 0,
    score: 90,
    components: [],
    ...over,
  });
  const rollup = (ref: string, over: Partial<PortfolioResponse['org']> = {}): PortfolioResponse['org'] => ({
    ref,
    score: 80,
    status: 'healthy',
    services: 1,
    byStatus: { healthy: 1, warning: 0, critical: 0 },
    tier1BelowTarget: 0,
    compositeRemainingRatio: null,
    score7dAgo: null,
    score30dAgo: null,
    ...over,
  });
  const portfolio = (list: PortfolioService[], over: Partial<Omit<PortfolioResponse, 'insights'>> = {}) => ({
    generatedAt: NOW,
    filters: {},
    status: 'critical' as const,
    exitCode: 2 as const,
    org: rollup('org', { tier1BelowTarget: list.filter(s => s.tier === 1 && s.slosBelowTarget > 0).length }),
    teams: [],
    systems: [],
    services: list,
    ...over,
  });

  it('words budgets burned and overspent, worst first, critical from 0 down', () => {
    const insights = portfolioInsights(
      portfolio([
        svc('a', { minRemainingRatio: 0.15 }), // burned round(85) = 85 %
        svc('b', { minRemainingRatio: 0.26 }), // above 25 %: nothing
        svc('c', { minRemainingRatio: 0 }), // burned 100 %, critical
        svc('d', { minRemainingRatio: 0.25 }), // burned 75 %, exactly at the threshold
        svc('e', { minRemainingRatio: -0.123 }), // overspent round(12.3) = 12 %
        svc('f', { minRemainingRatio: null }),
      ]),
    );
    expect(insights.map(i => [i.severity, i.message])).toEqual([
      ['critical', 'e overspent its budget by 12 %'],
      ['critical', 'c burned 100 % of its budget'],
      ['warning', 'a burned 85 % of its budget'],
      ['warning', 'd burned 75 % of its budget'],
    ]);
  });

  it('counts tier-1 services below target, blocked and drifting services (plural)', () => {
    const insights = portfolioInsights(
      portfolio([
        svc('t1', { tier: 1, slosBelowTarget: 1, gateVerdict: 'block' }),
        svc('t2', { tier: 1, slosBelowTarget: 2, driftCritical: 3 }),
        svc('t3', { tier: 1, slosBelowTarget: 1, gateVerdict: 'block', driftCritical: 1 }),
        svc('t4', { tier: 2, slosBelowTarget: 1, driftCritical: null }),
        svc('t5', { tier: 1, slosBelowTarget: 0 }),
      ]),
    );
    expect(insights).toEqual([
      { severity: 'critical', message: '3 tier-1 services below target', refs: ['component:default/t1', 'component:default/t2', 'component:default/t3'] },
      { severity: 'warning', message: '2 services would be blocked from deploying', refs: ['component:default/t1', 'component:default/t3'] },
      { severity: 'warning', message: '2 services have critical drift', refs: ['component:default/t2', 'component:default/t3'] },
    ]);
  });

  it('reports teams whose score fell by 5 points or more in 7 days', () => {
    const insights = portfolioInsights(
      portfolio([svc('a', {})], {
        teams: [
          rollup('group:default/team-payments', { score: 71, score7dAgo: 82 }), // −11
          rollup('group:default/platform', { score: 75, score7dAgo: 80 }), // −5 exactly
          rollup('group:default/web', { score: 75.1, score7dAgo: 80 }), // −4.9
          rollup('group:default/data', { score: 90, score7dAgo: null }),
          rollup('group:default/ml', { score: null, score7dAgo: 90 }),
        ],
      }),
    );
    expect(insights.map(i => i.message)).toEqual([
      "team-payments' score fell from 82 to 71 in 7 days",
      "platform's score fell from 80 to 75 in 7 days",
    ]);
    expect(insights[0].refs).toEqual(['group:default/team-payments']);
  });

  it('lists at most 10, critical first', () => {
    const list = Array.from({ length: 12 }, (_, i) => svc(`s${String(i).padStart(2, '0')}`, { minRemainingRatio: 0.2 - i / 100 }));
    list.push(svc('blocked', { gateVerdict: 'block' }));
    list.push(svc('zz', { minRemainingRatio: -0.5 }));
    const insights = portfolioInsights(portfolio(list));
    expect(insights).toHaveLength(10);
    // zz overspent (critical) first, then the lowest nine warnings s11 (0.09) … s03 (0.17);
    // s02, s01, s00 and the gate insight are cut
    expect(insights[0]).toEqual({ severity: 'critical', message: 'zz overspent its budget by 50 %', refs: ['component:default/zz'] });
    expect(insights[1].message).toBe('s11 burned 91 % of its budget');
    expect(insights[9].message).toBe('s03 burned 83 % of its budget');
    expect(insights.slice(1).every(i => i.severity === 'warning')).toBe(true);
  });

  it('says nothing about a healthy portfolio', () => {
    expect(portfolioInsights(portfolio([svc('a', {}), svc('b', { tier: 1 })]))).toEqual([]);
  });
});
