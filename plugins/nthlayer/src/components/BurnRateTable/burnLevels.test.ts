import {
  burnLevel,
  burnRatesByWindow,
  formatBurnRate,
  lowestFiringFactor,
} from './burnLevels';

describe('burnLevel', () => {
  it('is amber from 1 and red from the factor of an alert pair using the window', () => {
    expect(lowestFiringFactor('5m')).toBe(14.4);
    expect(lowestFiringFactor('2h')).toBe(3);
    // 6h is the long window of the 6× pair and the short window of the 1× pair
    expect(lowestFiringFactor('6h')).toBe(1);
    expect(burnLevel('5m', 0.99)).toBe('ok');
    expect(burnLevel('5m', 1)).toBe('elevated');
    expect(burnLevel('5m', 14.3)).toBe('elevated');
    expect(burnLevel('5m', 14.4)).toBe('firing');
    expect(burnLevel('2h', 3)).toBe('firing');
    expect(burnLevel('6h', 1)).toBe('firing');
    expect(burnLevel('1h', null)).toBe('none');
  });
});

describe('burnRatesByWindow', () => {
  it('keys the standard windows and ignores unknown ones', () => {
    expect(
      burnRatesByWindow([
        { window: '1h', burnRate: 2 },
        { window: '5m', burnRate: null },
        { window: '7d', burnRate: 9 },
      ]),
    ).toEqual({ '1h': 2, '5m': null });
  });
});

describe('formatBurnRate', () => {
  it('formats with precision fitting the size', () => {
    expect(formatBurnRate(0.523)).toBe('0.52×');
    expect(formatBurnRate(14.44)).toBe('14.4×');
    expect(formatBurnRate(250.4)).toBe('250×');
    expect(formatBurnRate(null)).toBe('—');
  });
});
