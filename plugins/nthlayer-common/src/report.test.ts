import { buildSloReport, SloMeasurement } from './report';
import { SloDefinition } from './types';

const slo: SloDefinition = {
  name: 'availability',
  kind: 'availability',
  targetPercent: 99.9,
  window: { text: '30d', minutes: 43200 },
  source: 'tier-default',
};
const measurement: SloMeasurement = {
  sloName: 'availability',
  window: '30d',
  windowMinutes: 43200,
  thresholdMs: null,
  goodEvents: 9990,
  shortWindows: [
    { window: '5m', goodEvents: 990, totalEvents: 1000 },
    { window: '1h', goodEvents: 9980, totalEvents: 10000 },
  ],
  totalEvents: 10000,
  measuredAt: '2026-11-23T10:00:00.000Z',
  stale: false,
  error: null,
};

describe('buildSloReport', () => {
  it('applies the current target to the measured counts', () => {
    // e = 0.001 → at 99.9 % the whole 43.2 min is spent; at 99.5 % 43.2 of 216 min.
    expect(buildSloReport(slo, measurement)).toMatchObject({
      sli: 99.9,
      status: 'exhausted',
      errorBudget: { totalMinutes: expect.closeTo(43.2, 9), remainingRatio: expect.closeTo(0, 9) },
      updatedAt: '2026-11-23T10:00:00.000Z',
      stale: false,
    });
    const relaxed = buildSloReport({ ...slo, targetPercent: 99.5 }, measurement);
    expect(relaxed.errorBudget!.remainingRatio).toBeCloseTo(0.8, 9);
    expect(relaxed.status).toBe('healthy');
  });

  it('is pending before any measurement, or when the window changed since', () => {
    expect(buildSloReport(slo, undefined).status).toBe('pending');
    expect(buildSloReport({ ...slo, window: { text: '7d', minutes: 10080 } }, measurement).status).toBe('pending');
  });

  it('reports burn rates, exhaustion time and low traffic with the current target', () => {
    // Budget already spent at 99.9 %; at 99.5 %: 1h e = 0.002 → burn 0.4; 5m e = 0.01 → 2.
    const report = buildSloReport({ ...slo, targetPercent: 99.5 }, measurement);
    expect(report.burnRates).toEqual([
      { window: '5m', burnRate: expect.closeTo(2, 9) },
      { window: '30m', burnRate: null },
      { window: '1h', burnRate: expect.closeTo(0.4, 9) },
      { window: '2h', burnRate: null },
      { window: '6h', burnRate: null },
      { window: '1d', burnRate: null },
      { window: '3d', burnRate: null },
    ]);
    // remaining 0.8 × 43,200 min / 0.4 = 86,400 min.
    expect(report.timeToExhaustionMinutes).toBeCloseTo(86400, 6);
    expect(report.eventRate).toBeCloseTo(10000 / 3600, 9);
    expect(report.lowTraffic).toBe(false);
    expect(report.explanation).toMatch(/10 of 10\.0k events failed in the 30d window \(0\.100 %, allowed 0\.5 %\): 20\.0 % of the error budget is spent/);
    expect(report.explanation).toMatch(/lasts about 60\.0 days/);

    const quiet = buildSloReport(slo, measurement, { minEventRate: 5 });
    expect(quiet.lowTraffic).toBe(true);
    expect(quiet.timeToExhaustionMinutes).toBeNull();
    expect(quiet.explanation).toMatch(/too low/);
  });

  it('carries staleness and the error; no numbers yet is no-data', () => {
    const stale = buildSloReport(slo, { ...measurement, stale: true, error: 'Prometheus down' });
    expect(stale).toMatchObject({ stale: true, error: 'Prometheus down', sli: 99.9 });
    const never = buildSloReport(slo, { ...measurement, goodEvents: null, totalEvents: null, measuredAt: null, stale: true, error: 'down' });
    expect(never).toMatchObject({ status: 'no-data', sli: null, errorBudget: null, stale: true, error: 'down' });
  });
});
