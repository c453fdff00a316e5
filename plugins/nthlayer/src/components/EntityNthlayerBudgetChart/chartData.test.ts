import { percentDomain, timeDomain, toChartRows } from './chartData';

const point = (time: string, remainingRatio: number | null) => ({
  time,
  goodEvents: 1,
  totalEvents: 1,
  sli: 100,
  remainingRatio,
  remainingMinutes: remainingRatio === null ? null : remainingRatio * 43.2,
});

describe('toChartRows', () => {
  it('turns ratios into percent, orders by time and keeps gaps', () => {
    const rows = toChartRows([
      point('2026-01-02T00:00:00Z', -0.25),
      point('2026-01-01T00:00:00Z', 0.5),
      point('2026-01-03T00:00:00Z', null),
      point('not a time', 1),
    ]);
    expect(rows.map(r => r.remainingPercent)).toEqual([50, -25, null]);
    expect(rows[0].time).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
});

describe('percentDomain', () => {
  it('is 0 … 100 for a budget in range', () => {
    expect(
      percentDomain(toChartRows([point('2026-01-01T00:00:00Z', 0.4)])),
    ).toEqual([0, 100]);
  });

  it('extends below 0 in steps of 10 for an overspent budget', () => {
    expect(
      percentDomain(toChartRows([point('2026-01-01T00:00:00Z', -0.31)])),
    ).toEqual([-40, 100]);
  });
});

describe('timeDomain', () => {
  const history = {
    from: '2026-01-01T00:00:00Z',
    to: '2026-01-31T00:00:00Z',
  };

  it('covers the requested range and every point', () => {
    const rows = toChartRows([point('2026-02-01T00:00:00Z', 1)]);
    expect(timeDomain(history, rows)).toEqual([
      Date.parse('2026-01-01T00:00:00Z'),
      Date.parse('2026-02-01T00:00:00Z'),
    ]);
  });
});
