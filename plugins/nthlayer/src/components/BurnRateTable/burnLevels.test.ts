import { MWMBR_THRESHOLDS, firingBurnAlerts } from '@nthlayer/backstage-plugin-common';
import {
  burnLevel,
  burnRatesByWindow,
  formatBurnRate,
  lowestFiringFactor,
} from './burnLevels';

describe('burnLevel', () => {
  it('is amber above 1 and red above the factor of an alert pair using the window, as the alerts fire', () => {
    expect(lowestFiringFactor('5m')).toBe(14.4);
    expect(lowestFiringFactor('2h')).toBe(3);
    // 6h is the long window of the 6× pair and the short window of the 1× pair
    expect(lowestFiringFactor('6h')).toBe(1);
    expect(burnLevel('5m', 0.99)).toBe('ok');
    expect(burnLevel('5m', 1)).toBe('ok');
    expect(burnLevel('5m', 1.01)).toBe('elevated');
    expect(burnLevel('5m', 14.4)).toBe('elevated');
    expect(burnLevel('5m', 14.41)).toBe('firing');
    expect(burnLevel('2h', 3)).toBe('elevated');
    expect(burnLevel('2h', 3.01)).toBe('firing');
    expect(burnLevel('6h', 1)).toBe('ok');
    expect(burnLevel('6h', 1.01)).toBe('firing');
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

/** Red where the alert fires, amber above 1 otherwise. */
function expectedLevel(alertFires: boolean, rate: number) {
  if (alertFires) return 'firing';
  return rate > 1 ? 'elevated' : 'ok';
}

describe('one firing rule for the table and the alerts', () => {
  // For each alert pair, a window whose lowest factor is the pair's own.
  const cases = MWMBR_THRESHOLDS.map(t => ({
    t,
    window: [t.longWindow, t.shortWindow].find(w => lowestFiringFactor(w) === t.factor),
  }));

  it('marks a window firing exactly when the alert pair at that rate fires', () => {
    expect(cases.every(c => c.window)).toBe(true);
    for (const { t, window } of cases) {
      for (const rate of [t.factor - 0.01, t.factor, t.factor + 0.01]) {
        const alertFires = firingBurnAlerts({ [t.longWindow]: rate, [t.shortWindow]: rate })
          .includes(t);
        expect({ rate, alertFires }).toEqual({ rate, alertFires: rate > t.factor });
        expect({ rate, window, level: burnLevel(window!, rate) }).toEqual({
          rate,
          window,
          level: expectedLevel(alertFires, rate),
        });
      }
    }
  });
});
