import { budgetTrend, budgetTrendFinding } from './trend';

const DAY = 24 * 3600 * 1000;
const at = (days: number) => new Date(Date.UTC(2026, 10, 1) + days * DAY).toISOString();

describe('budgetTrend', () => {
  it('fits a straight line: 80 % falling by 1 point a day is −7 %/week, spent in 71 days', () => {
    // Points at day 0..9 with remaining 80, 79, …, 71 %: slope −1 %/day exactly.
    const points = Array.from({ length: 10 }, (_, d) => ({ time: at(d), remainingRatio: (80 - d) / 100 }));
    const trend = budgetTrend(points)!;
    expect(trend.slopePercentPerWeek).toBeCloseTo(-7, 9);
    expect(trend.currentPercent).toBeCloseTo(71, 9);
    expect(trend.exhaustionDays).toBeCloseTo(71, 9); // 71 % at 1 %/day
    expect(trend.spanDays).toBe(9);
  });

  it('least squares over noisy points: hand-computed slope', () => {
    // x (days) = 0,1,2,3,4,5; y = 50,52,49,47,48,44. mean x 2.5, mean y 48.33…
    // dy = 1.667, 3.667, 0.667, −1.333, −0.333, −4.333; Sxy = Σ dx·dy = −4.1667 − 5.5 − 0.3333 − 0.6667 − 0.5 − 10.8333 = −22, Sxx = 17.5 → −1.2571 %/day → −8.8 %/week.
    const ys = [50, 52, 49, 47, 48, 44];
    const trend = budgetTrend(ys.map((y, d) => ({ time: at(d), remainingRatio: y / 100 })))!;
    expect(trend.slopePercentPerWeek).toBeCloseTo(-8.8, 9);
  });

  it('skips points without a value and needs enough history', () => {
    const few = Array.from({ length: 5 }, (_, d) => ({ time: at(d), remainingRatio: 0.5 }));
    expect(budgetTrend(few)).toBeUndefined();
    const short = Array.from({ length: 20 }, (_, h) => ({ time: at(h / 24), remainingRatio: 0.5 }));
    expect(budgetTrend(short)).toBeUndefined(); // 19 hours
    const gaps = [...few, { time: at(6), remainingRatio: null }, { time: at(7), remainingRatio: 0.5 }];
    expect(budgetTrend(gaps)!.points).toBe(6);
    expect(budgetTrend(gaps)!.slopePercentPerWeek).toBe(0);
    expect(budgetTrend(gaps)!.exhaustionDays).toBeUndefined();
  });
});

describe('budgetTrendFinding (DESIGN §6 for tier 1)', () => {
  const trend = (slope: number, current = 90) => ({
    slopePercentPerWeek: slope,
    currentPercent: current,
    exhaustionDays: slope < 0 ? (current / -slope) * 7 : undefined,
    points: 100,
    spanDays: 14,
  });
  it.each([
    [-0.1, undefined],
    [-0.2, 'warning'],
    [-0.49, 'warning'],
    [-0.5, 'critical'],
    [1, undefined],
  ])('tier 1 at %p %%/week → %p', (slope, severity) => {
    expect(budgetTrendFinding('availability', 1, trend(slope))?.severity).toBe(severity);
  });

  it('projected exhaustion within 14 days is critical even at a mild slope', () => {
    // 0.3 % left at −0.2 %/week: spent in 10.5 days.
    const finding = budgetTrendFinding('availability', 1, trend(-0.2, 0.3))!;
    expect(finding.severity).toBe('critical');
    expect(finding.message).toContain('10.5 days');
    expect(finding.actual).toBe('-0.2 %/week');
  });

  it('looser tiers: −0.3 %/week is fine for tier 2', () => {
    expect(budgetTrendFinding('availability', 2, trend(-0.3))).toBeUndefined();
    expect(budgetTrendFinding('availability', 2, trend(-0.6))?.severity).toBe('warning');
  });
});
