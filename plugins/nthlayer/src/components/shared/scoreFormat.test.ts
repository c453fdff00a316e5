import {
  NO_DATA,
  entityName,
  formatRatioPercent,
  formatScore,
  formatScoreDelta,
  formatTier,
} from './scoreFormat';

describe('score formatting', () => {
  it('shows a score with at most one decimal, and a missing one as no data, never 0', () => {
    expect(formatScore(87.46)).toBe('87.5');
    expect(formatScore(90)).toBe('90');
    expect(formatScore(0)).toBe('0');
    expect(formatScore(null)).toBe(NO_DATA);
    expect(formatScore(undefined)).toBe('no data');
    expect(formatScore(Number.NaN)).toBe('no data');
  });

  it('signs the change since a past score, and says no data when either is missing', () => {
    expect(formatScoreDelta(80, 77.5)).toBe('+2.5');
    expect(formatScoreDelta(70, 71)).toBe('-1');
    expect(formatScoreDelta(70.01, 70)).toBe('0');
    expect(formatScoreDelta(70, null)).toBe('no data');
    expect(formatScoreDelta(null, 70)).toBe('no data');
  });

  it('shows a budget ratio as a percentage, a missing one as no data', () => {
    expect(formatRatioPercent(0.85)).toBe('85.0 %');
    expect(formatRatioPercent(-0.125)).toBe('-12.5 %');
    expect(formatRatioPercent(0)).toBe('0.0 %');
    expect(formatRatioPercent(null)).toBe('no data');
  });

  it('names tiers and entity refs', () => {
    expect(formatTier(1)).toBe('T1');
    expect(formatTier(null)).toBe('—');
    expect(entityName('group:default/team-payments')).toBe('team-payments');
    expect(entityName('checkout-api')).toBe('checkout-api');
    expect(entityName('org')).toBe('org');
  });
});
