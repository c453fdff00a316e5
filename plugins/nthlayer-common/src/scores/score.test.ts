import { ScoreComponent } from './api';
import { SCORE_MAX_POINTS, ServiceScoreInput, ServiceScoreSlo, scoreService } from './score';

const slo = (over: Partial<ServiceScoreSlo> = {}): ServiceScoreSlo => ({
  name: 'availability',
  kind: 'availability',
  targetPercent: 99.9,
  sli: 99.95,
  status: 'healthy',
  remainingRatio: 0.6,
  goodEvents: 999_500,
  totalEvents: 1_000_000,
  ...over,
});

/**
 * A service with data for every component, computed by hand:
 * - slo-compliance: availability 99.95 ≥ 99.9 met, latency 98.5 < 99 not → 30 × 1/2 = 15
 * - incidents: 2 incidents, MTTR 135 min → countFactor 1 − 2/5 = 0.6, mttrFactor (240 − 135)/210 = 0.5
 *   → 25 × (0.6 × 0.6 + 0.4 × 0.5) = 25 × 0.56 = 14
 * - deployments: 8 succeeded, 1 failed, 1 rolled back → successRate 0.8, rollbackRate 0.1
 *   → 20 × (0.7 × 0.8 + 0.3 × 0.9) = 20 × 0.83 = 16.6
 * - error-budget: min(0.6, 0.2) = 0.2 → 15 × 0.2 = 3
 * - dependencies: healthy 1, warning 0.5, critical 0, exhausted 0 (no-data, pending, unknown left
 *   out) → mean 1.5/4 = 0.375 → 10 × 0.375 = 3.75
 * Σ = 15 + 14 + 16.6 + 3 + 3.75 = 52.35 of 100 → 52.4 (one decimal, half up).
 */
const full = (): ServiceScoreInput => ({
  tier: 1,
  slos: [
    slo(),
    slo({ name: 'latency', kind: 'latency', targetPercent: 99, sli: 98.5, status: 'warning', remainingRatio: 0.2 }),
  ],
  incidents: { count: 2, resolved: 2, mttrMinutes: 135, open: 0 },
  deployments: { succeeded: 8, failed: 1, rolledBack: 1 },
  dependencies: [
    { ref: 'component:default/a', status: 'healthy' },
    { ref: 'component:default/b', status: 'warning' },
    { ref: 'component:default/c', status: 'critical' },
    { ref: 'component:default/d', status: 'exhausted' },
    { ref: 'component:default/e', status: 'no-data' },
    { ref: 'component:default/f', status: 'pending' },
    { ref: 'component:default/g', status: null },
  ],
});

const byId = (components: ScoreComponent[]) => Object.fromEntries(components.map(c => [c.id, c]));

/** 100 × Σ points / Σ max over the components with points, one decimal — recomputed independently. */
const fromComponents = (components: ScoreComponent[]) => {
  const present = components.filter(c => c.points !== null);
  const points = present.reduce((a, c) => a + c.points!, 0);
  const max = present.reduce((a, c) => a + c.maxPoints, 0);
  return Math.round((1000 * points) / max) / 10;
};

describe('scoreService', () => {
  it('scores a service with every component (hand-computed 52.4)', () => {
    const result = scoreService(full());
    expect(result.components.map(c => c.id)).toEqual(['slo-compliance', 'incidents', 'deployments', 'error-budget', 'dependencies']);
    expect(result.components.map(c => c.maxPoints)).toEqual([30, 25, 20, 15, 10]);
    expect(result.components.map(c => c.points)).toEqual([15, 14, 16.6, 3, 3.75]);
    expect(result.score).toBe(52.4);

    const c = byId(result.components);
    expect(c['slo-compliance'].numbers).toEqual({ met: 1, total: 2 });
    expect(c.incidents.numbers).toEqual({ count: 2, open: 0, resolved: 2, mttrMinutes: 135 });
    expect(c.deployments.numbers).toEqual({ succeeded: 8, failed: 1, rolledBack: 1, successRate: 0.8, rollbackRate: 0.1 });
    expect(c['error-budget'].numbers).toEqual({ minRemainingRatio: 0.2, slos: 2 });
    expect(c.dependencies.numbers).toEqual({ healthy: 1, warning: 1, critical: 2, counted: 4 });
  });

  it('writes the formula into each detail', () => {
    const c = byId(scoreService(full()).components);
    expect(c['slo-compliance'].detail).toContain('30 × 1/2 = 15');
    expect(c.incidents.detail).toContain('25 × (0.6 × 0.6 + 0.4 × 0.5) = 14');
    expect(c.deployments.detail).toContain('20 × (0.7 × 0.8 + 0.3 × (1 − 0.1)) = 16.6');
    expect(c['error-budget'].detail).toContain('15 × clamp(0.2, 0, 1) = 3');
    expect(c.dependencies.detail).toContain('10 × 0.375 = 3.75');
  });

  it('leaves incidents out without PagerDuty: (15 + 16.6 + 3 + 3.75) / 75 = 51.1', () => {
    const result = scoreService({ ...full(), incidents: null });
    const c = byId(result.components);
    expect(c.incidents.points).toBeNull();
    expect(c.incidents.detail).toBe('PagerDuty is not configured or not mapped to this service');
    // 38.35 / 75 = 0.51133… → 51.1
    expect(result.score).toBe(51.1);
    expect(result.score).toBe(fromComponents(result.components));
  });

  it('leaves deployments out without finished deployments: (15 + 14 + 3 + 3.75) / 80 = 44.7', () => {
    const result = scoreService({ ...full(), deployments: { succeeded: 0, failed: 0, rolledBack: 0 } });
    const c = byId(result.components);
    expect(c.deployments.points).toBeNull();
    expect(c.deployments.detail).toBe('no finished deployments in 30 days');
    // 35.75 / 80 = 0.446875 → 44.7
    expect(result.score).toBe(44.7);
    expect(result.score).toBe(fromComponents(result.components));
  });

  it('leaves SLO compliance out when no SLO has an SLI: (14 + 16.6 + 3 + 3.75) / 70 = 53.4', () => {
    const input = full();
    input.slos = input.slos.map(s => ({ ...s, sli: null }));
    const result = scoreService(input);
    const c = byId(result.components);
    expect(c['slo-compliance'].points).toBeNull();
    expect(c['slo-compliance'].detail).toContain('no SLO has measured data yet');
    // 37.35 / 70 = 0.533571… → 53.4
    expect(result.score).toBe(53.4);
    expect(result.score).toBe(fromComponents(result.components));
  });

  it('leaves the error budget out when no ratio is known: (15 + 14 + 16.6 + 3.75) / 85 = 58.1', () => {
    const input = full();
    input.slos = input.slos.map(s => ({ ...s, remainingRatio: null }));
    const result = scoreService(input);
    expect(byId(result.components)['error-budget'].points).toBeNull();
    // 49.35 / 85 = 0.580588… → 58.1
    expect(result.score).toBe(58.1);
    expect(result.score).toBe(fromComponents(result.components));
  });

  it('leaves dependencies out when none has data: (15 + 14 + 16.6 + 3) / 90 = 54', () => {
    const input = full();
    input.dependencies = input.dependencies.filter(d => d.status === null || d.status === 'no-data' || d.status === 'pending');
    const result = scoreService(input);
    const c = byId(result.components);
    expect(c.dependencies.points).toBeNull();
    expect(c.dependencies.detail).toBe('no managed dependency with data');
    // 48.6 / 90 = 0.54
    expect(result.score).toBe(54);
  });

  it('has no score (not 0, not 100) when nothing has data', () => {
    const result = scoreService({
      tier: 2,
      slos: [slo({ sli: null, remainingRatio: null, status: 'no-data' })],
      incidents: null,
      deployments: { succeeded: 0, failed: 0, rolledBack: 0 },
      dependencies: [],
    });
    expect(result.score).toBeNull();
    expect(result.components).toHaveLength(5);
    expect(result.components.every(c => c.points === null)).toBe(true);
  });

  it('scores one component alone over its own maximum: deployments 16.6 / 20 = 83', () => {
    const result = scoreService({
      tier: 3,
      slos: [],
      incidents: null,
      deployments: { succeeded: 8, failed: 1, rolledBack: 1 },
      dependencies: [],
    });
    expect(result.score).toBe(83);
  });

  it.each([
    // [count, resolved, mttr, open, points]
    [0, 0, null, 0, 25], // 25 × (0.6 × 1 + 0.4 × 1)
    [1, 0, null, 1, 22], // nothing resolved: mttrFactor 1; 25 × (0.6 × 0.8 + 0.4) = 22
    [2, 2, 30, 0, 19], // MTTR ≤ 30 → 1; 25 × (0.36 + 0.4) = 19
    [2, 2, 240, 0, 9], // MTTR ≥ 240 → 0; 25 × 0.36 = 9
    [2, 2, 82.5, 0, 16.5], // (240 − 82.5)/210 = 0.75; 25 × (0.6 × 0.6 + 0.4 × 0.75) = 25 × 0.66 = 16.5
    [5, 5, 300, 0, 0], // countFactor 0, mttrFactor 0
    [7, 7, 10, 0, 10], // countFactor max(0, 1 − 7/5) = 0, mttrFactor 1 → 25 × 0.4 = 10
    [1, 1, null, 0, 20], // MTTR unknown though resolved: count only, 25 × 0.8 = 20
  ])('incidents: %p incidents, %p resolved, MTTR %p min, %p open → %p points', (count, resolved, mttr, open, points) => {
    const c = byId(scoreService({ ...full(), incidents: { count, resolved, mttrMinutes: mttr, open } }).components);
    expect(c.incidents.points).toBe(points);
  });

  it.each([
    [{ succeeded: 5, failed: 0, rolledBack: 0 }, 20], // 20 × (0.7 + 0.3)
    [{ succeeded: 0, failed: 0, rolledBack: 3 }, 0], // 20 × (0 + 0.3 × 0)
    [{ succeeded: 0, failed: 4, rolledBack: 0 }, 6], // 20 × (0 + 0.3 × 1)
    [{ succeeded: 1, failed: 1, rolledBack: 1 }, 8.67], // 20 × (0.7/3 + 0.3 × 2/3) = 20 × 0.43333 = 8.6667
  ])('deployments %p → %p points', (deployments, points) => {
    expect(byId(scoreService({ ...full(), deployments }).components).deployments.points).toBe(points);
  });

  it('counts an SLO exactly at its target as met, and ignores SLOs without an SLI', () => {
    const input = full();
    input.slos = [slo({ sli: 99.9 }), slo({ name: 'latency', kind: 'latency', sli: null }), slo({ name: 'x', sli: 99.89 })];
    const c = byId(scoreService(input).components);
    expect(c['slo-compliance'].numbers).toEqual({ met: 1, total: 2 });
    expect(c['slo-compliance'].points).toBe(15);
  });

  it('clamps the error budget to 0…1', () => {
    const over = full();
    over.slos = [slo({ remainingRatio: -0.4 }), slo({ remainingRatio: 0.9 })];
    expect(byId(scoreService(over).components)['error-budget'].points).toBe(0);
    expect(byId(scoreService(over).components)['error-budget'].numbers.minRemainingRatio).toBe(-0.4);
    const under = full();
    under.slos = [slo({ remainingRatio: 1.3 })];
    expect(byId(scoreService(under).components)['error-budget'].points).toBe(15);
  });

  it('rounds points to two decimals', () => {
    const input = full();
    // a dependency mean of 2/3 → 10 × 0.6666… = 6.666… → 6.67
    input.dependencies = [
      { ref: 'a', status: 'healthy' },
      { ref: 'b', status: 'healthy' },
      { ref: 'c', status: 'critical' },
    ];
    expect(byId(scoreService(input).components).dependencies.points).toBe(6.67);
  });

  it('keeps the weights of DESIGN §8', () => {
    expect(SCORE_MAX_POINTS).toEqual({ 'slo-compliance': 30, incidents: 25, deployments: 20, 'error-budget': 15, dependencies: 10 });
  });
});
