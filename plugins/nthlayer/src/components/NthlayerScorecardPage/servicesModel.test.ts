import {
  NO_FILTERS,
  SERVICE_ORDER,
  componentsText,
  distinctRefs,
  filterServices,
  rankTeams,
} from './servicesModel';
import { portfolio, services } from './testData';

const names = (list: { name: string }[]) => list.map(s => s.name);

describe('scorecard services model', () => {
  it('filters by team, tier, status and system together', () => {
    expect(filterServices(services, NO_FILTERS)).toBe(services);
    expect(
      names(filterServices(services, { ...NO_FILTERS, team: 'group:default/team-growth' })),
    ).toEqual(['catalog-api', 'coupon-api']);
    expect(names(filterServices(services, { ...NO_FILTERS, tier: '1' }))).toEqual([
      'checkout-api',
      'payment-api',
      'auth-api',
      'api-gateway',
    ]);
    expect(
      names(filterServices(services, { ...NO_FILTERS, tier: '1', status: 'warning' })),
    ).toEqual(['auth-api']);
    expect(
      names(filterServices(services, { ...NO_FILTERS, system: 'system:default/marketing' })),
    ).toEqual(['coupon-api']);
  });

  it('offers every team and system once, sorted', () => {
    expect(distinctRefs(services, 'owner')).toEqual([
      'group:default/team-data',
      'group:default/team-growth',
      'group:default/team-payments',
      'group:default/team-platform',
    ]);
    expect(distinctRefs(services, 'system')).toEqual([
      'system:default/commerce',
      'system:default/marketing',
    ]);
  });

  it('orders scores and budgets ascending with no data last', () => {
    const byScore = [...services].sort(SERVICE_ORDER.score);
    expect(byScore[0].name).toBe('coupon-api');
    expect(byScore[byScore.length - 1].name).toBe('legacy-billing');
    const byBudget = [...services].sort(SERVICE_ORDER.budget);
    expect(byBudget[0].name).toBe('coupon-api');
    expect(names(byBudget.slice(-2)).sort()).toEqual(['clickstream-ingest', 'legacy-billing']);
    expect(names([...services].sort(SERVICE_ORDER.status)).slice(-2)).toEqual([
      'checkout-api',
      'coupon-api',
    ]);
  });

  it('ranks teams best first with a missing score last', () => {
    const teams = portfolio().teams;
    const ranked = rankTeams([...teams, { ...teams[0], ref: 'group:default/team-new', score: null }]);
    const scores = ranked.map(t => t.score);
    expect(scores[scores.length - 1]).toBeNull();
    const known = scores.filter((s): s is number => s !== null);
    expect(known).toEqual([...known].sort((a, b) => b - a));
  });

  it('spells out the five components, no data included', () => {
    expect(componentsText(services[3])).toBe(
      'slo-compliance no data/30 · incidents no data/25 · deployments no data/20 · error-budget no data/15 · dependencies no data/10',
    );
  });
});
