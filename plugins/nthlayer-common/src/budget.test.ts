import { budgetStatus, burnRate, computeErrorBudget, sliPercent } from './budget';

describe('computeErrorBudget (DESIGN §3)', () => {
  it.each([
    // target, window minutes, budget minutes — worked by hand: (1 − T) × W
    [99.9, 43200, 43.2], // 30 d
    [99.5, 43200, 216],
    [99.0, 43200, 432],
    [99.95, 43200, 21.6],
    [99.9, 40320, 40.32], // 28 d
    [99.9, 10080, 10.08], // 7 d
  ])('%s %% over %s min gives %s min of budget', (target, window, budget) => {
    const result = computeErrorBudget(target, window, { good: 1000, total: 1000 });
    expect(result!.totalMinutes).toBeCloseTo(budget, 9);
    expect(result!.consumedMinutes).toBe(0);
    expect(result!.remainingRatio).toBe(1);
  });

  it('weights by events: 5 bad of 10,000 at 99.9 % over 30 d spends half', () => {
    // e = 0.0005 → consumed 0.0005 × 43,200 = 21.6 min; remaining 21.6; ratio 1 − 0.5.
    const result = computeErrorBudget(99.9, 43200, { good: 9995, total: 10000 })!;
    expect(result.consumedMinutes).toBeCloseTo(21.6, 9);
    expect(result.remainingMinutes).toBeCloseTo(21.6, 9);
    expect(result.remainingRatio).toBeCloseTo(0.5, 12);
  });

  it('goes negative when overspent', () => {
    // e = 0.003 at 99.9 % → consumed 129.6 min of 43.2; ratio 1 − 3 = −2.
    const result = computeErrorBudget(99.9, 43200, { good: 997, total: 1000 })!;
    expect(result.consumedMinutes).toBeCloseTo(129.6, 9);
    expect(result.remainingMinutes).toBeCloseTo(-86.4, 9);
    expect(result.remainingRatio).toBeCloseTo(-2, 12);
  });

  it('returns null without traffic (no data is not 100 %)', () => {
    expect(computeErrorBudget(99.9, 43200, { good: 0, total: 0 })).toBeNull();
    expect(sliPercent({ good: 0, total: 0 })).toBeNull();
  });

  it('clamps counter artefacts where good slightly exceeds total', () => {
    const result = computeErrorBudget(99, 1440, { good: 1000.0001, total: 1000 })!;
    expect(result.consumedMinutes).toBe(0);
    expect(sliPercent({ good: 1000.0001, total: 1000 })).toBe(100);
  });
});

describe('burnRate', () => {
  it('is 14.4 when 1.44 % of requests fail at 99.9 %', () => {
    expect(burnRate(99.9, { good: 9856, total: 10000 })).toBeCloseTo(14.4, 9);
  });
  it('is 1 when errors match the budget exactly', () => {
    expect(burnRate(99, { good: 99, total: 100 })).toBeCloseTo(1, 9);
  });
  it('is null without traffic', () => {
    expect(burnRate(99, { good: 0, total: 0 })).toBeNull();
  });
});

describe('budgetStatus', () => {
  const at = (remainingRatio: number) =>
    budgetStatus({ totalMinutes: 1, consumedMinutes: 0, remainingMinutes: 0, remainingRatio });
  it.each([
    [1, 'healthy'],
    [0.25, 'healthy'],
    [0.2499, 'warning'],
    [0.1, 'warning'],
    [0.0999, 'critical'],
    [0.0001, 'critical'],
    [0, 'exhausted'],
    [-0.5, 'exhausted'],
  ])('remaining ratio %s is %s', (ratio, status) => {
    expect(at(ratio)).toBe(status);
  });
  it('is no-data without a budget', () => {
    expect(budgetStatus(null)).toBe('no-data');
  });
});
