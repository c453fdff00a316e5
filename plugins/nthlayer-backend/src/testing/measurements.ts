import { MeasurementRow } from '../database/MeasurementStore';

/**
 * A measurement of a tier-1 SLO (availability 99.9 % or latency p95 < 500 ms at 95 %, 30d) as
 * a refresh would store it: `good` of `total` events, a quiet last hour.
 */
export function tier1Measurement(
  entityRef: string,
  slo: 'availability' | 'latency',
  good: number,
  measuredAt: string,
  total = 1_000_000,
): MeasurementRow {
  return {
    entityRef,
    sloName: slo,
    sloKind: slo,
    window: '30d',
    windowMinutes: 43_200,
    thresholdMs: slo === 'latency' ? 500 : null,
    goodEvents: good,
    totalEvents: total,
    shortWindows: [{ window: '1h', goodEvents: 9_990, totalEvents: 10_000 }],
    measuredAt,
    stale: false,
    error: null,
  };
}
