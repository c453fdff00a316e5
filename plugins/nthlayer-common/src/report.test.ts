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
  thresholdMs: null,
  goodEvents: 9990,
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

  it('carries staleness and the error; no numbers yet is no-data', () => {
    const stale = buildSloReport(slo, { ...measurement, stale: true, error: 'Prometheus down' });
    expect(stale).toMatchObject({ stale: true, error: 'Prometheus down', sli: 99.9 });
    const never = buildSloReport(slo, { ...measurement, goodEvents: null, totalEvents: null, measuredAt: null, stale: true, error: 'down' });
    expect(never).toMatchObject({ status: 'no-data', sli: null, errorBudget: null, stale: true, error: 'down' });
  });
});
