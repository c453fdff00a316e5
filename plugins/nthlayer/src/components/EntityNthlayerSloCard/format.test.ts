import {
  formatBudgetMinutes,
  formatRelativeTime,
  formatRemainingMinutes,
  formatRemainingPercent,
  formatSli,
  formatTarget,
  formatTimeToExhaustion,
  isOverspent,
  statusLabel,
} from './format';

const budget = (remainingMinutes: number, remainingRatio: number) => ({
  totalMinutes: 43.2,
  consumedMinutes: 43.2 - remainingMinutes,
  remainingMinutes,
  remainingRatio,
});

describe('formatTarget', () => {
  it('formats availability and latency targets', () => {
    expect(formatTarget({ kind: 'availability', targetPercent: 99.9 })).toBe(
      '99.9 %',
    );
    expect(
      formatTarget({
        kind: 'latency',
        targetPercent: 95,
        latency: { percentile: 95, thresholdMs: 500 },
      }),
    ).toBe('p95 < 500 ms');
  });
});

describe('formatSli', () => {
  it('shows three decimals, rounded down', () => {
    expect(formatSli(99.93456, 99.9)).toBe('99.934 %');
    expect(formatSli(99.99996, 99.9)).toBe('99.999 %');
    expect(formatSli(100, 99.9)).toBe('100.000 %');
    expect(formatSli(99.95, 99.9)).toBe('99.950 %');
  });

  it('shows four decimals for targets with three or more', () => {
    expect(formatSli(99.99612, 99.995)).toBe('99.9961 %');
  });

  it('says no data without a measurement', () => {
    expect(formatSli(null, 99.9)).toBe('no data');
  });
});

describe('remaining budget', () => {
  it('formats percent with one decimal and minutes with two', () => {
    const b = budget(6.48, 0.15);
    expect(formatRemainingPercent(b)).toBe('15.0');
    expect(formatRemainingMinutes(b)).toBe('6.48');
    expect(isOverspent(b)).toBe(false);
  });

  it('keeps the sign of an overspent budget', () => {
    const b = budget(-12.96, -0.3);
    expect(formatRemainingPercent(b)).toBe('-30.0');
    expect(formatRemainingMinutes(b)).toBe('-12.96');
    expect(isOverspent(b)).toBe(true);
  });

  it('drops trailing zeros from the budget size', () => {
    expect(formatBudgetMinutes(43.2)).toBe('43.2');
    expect(formatBudgetMinutes(216.00000000000003)).toBe('216');
    expect(formatBudgetMinutes(2.016)).toBe('2.02');
  });
});

describe('statusLabel', () => {
  it('labels every status', () => {
    expect(statusLabel('healthy')).toBe('Healthy');
    expect(statusLabel('no-data')).toBe('No data');
    expect(statusLabel('exhausted')).toBe('Exhausted');
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2026-01-10T12:00:00Z');

  it('formats past times relative to now', () => {
    expect(formatRelativeTime('2026-01-10T11:55:00Z', now)).toBe(
      '5 minutes ago',
    );
    expect(formatRelativeTime('2026-01-10T10:00:00Z', now)).toBe('2 hours ago');
    expect(formatRelativeTime('2026-01-09T12:00:00Z', now)).toBe('yesterday');
    expect(formatRelativeTime('2026-01-10T12:00:00Z', now)).toBe('now');
  });

  it('handles missing and unparsable times', () => {
    expect(formatRelativeTime(null, now)).toBe('never');
    expect(formatRelativeTime('soon', now)).toBe('soon');
  });
});

describe('formatTimeToExhaustion', () => {
  const slo = (
    remainingRatio: number,
    timeToExhaustionMinutes: number | null,
    lowTraffic = false,
  ) => ({
    errorBudget: budget(43.2 * remainingRatio, remainingRatio),
    timeToExhaustionMinutes,
    lowTraffic,
  });

  it('projects the rest of the budget at the 1 h burn', () => {
    expect(formatTimeToExhaustion(slo(0.5, 4608))).toBe(
      'at the current burn (1 h), the budget lasts ~3.2 days',
    );
    expect(formatTimeToExhaustion(slo(0.5, 320))).toBe(
      'at the current burn (1 h), the budget lasts ~5.3 h',
    );
    expect(formatTimeToExhaustion(slo(0.01, 45))).toBe(
      'at the current burn (1 h), the budget lasts ~45 min',
    );
  });

  it('says not burning, exhausted, or not projected for low traffic', () => {
    expect(formatTimeToExhaustion(slo(0.5, null))).toBe('not burning');
    expect(formatTimeToExhaustion(slo(-0.3, 0))).toBe('exhausted');
    expect(formatTimeToExhaustion(slo(0, null))).toBe('exhausted');
    expect(formatTimeToExhaustion(slo(0.5, null, true))).toBe(
      'not projected: traffic too low',
    );
    expect(
      formatTimeToExhaustion({ ...slo(0.5, 10), errorBudget: null }),
    ).toBeNull();
  });
});
