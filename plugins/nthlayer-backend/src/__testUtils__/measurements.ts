import { MeasurementRow } from '../database/MeasurementStore';

/** A 30-day availability measurement of `entityRef` as the budget engine writes it. */
export function availabilityMeasurement(
  entityRef: string,
  counts: { good: number | null; total: number | null },
  more: Partial<MeasurementRow> = {},
): MeasurementRow {
  return {
    entityRef,
    sloName: 'availability',
    sloKind: 'availability',
    window: '30d',
    windowMinutes: 43200,
    thresholdMs: null,
    goodEvents: counts.good,
    totalEvents: counts.total,
    shortWindows: [],
    measuredAt: counts.good === null ? null : new Date().toISOString(),
    stale: false,
    error: null,
    ...more,
  };
}
