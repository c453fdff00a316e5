import { budgetStatus, computeErrorBudget, sliPercent } from './budget';
import { SloDefinition, SloReport } from './types';

/**
 * What the budget engine measured for one SLO: event counts over a window. The target
 * is applied when reporting, so a changed target needs no new measurement.
 *
 * @public
 */
export interface SloMeasurement {
  sloName: string;
  window: string;
  thresholdMs: number | null;
  /** Null when no measurement ever succeeded. */
  goodEvents: number | null;
  totalEvents: number | null;
  /** When the counts were measured (ISO 8601), null if never. */
  measuredAt: string | null;
  stale: boolean;
  error: string | null;
}

/** True when a measurement was taken for this SLO's current definition. @public */
export function measurementMatches(slo: SloDefinition, m: SloMeasurement): boolean {
  return (
    m.sloName === slo.name &&
    m.window === slo.window.text &&
    (m.thresholdMs ?? null) === (slo.latency?.thresholdMs ?? null)
  );
}

/**
 * Builds the API's view of one SLO from its definition and latest measurement.
 *
 * @public
 */
export function buildSloReport(
  slo: SloDefinition,
  measurement: SloMeasurement | undefined,
): SloReport {
  const base = {
    name: slo.name,
    kind: slo.kind,
    targetPercent: slo.targetPercent,
    window: slo.window.text,
    ...(slo.latency ? { latency: slo.latency } : {}),
  };
  if (!measurement || !measurementMatches(slo, measurement)) {
    return {
      ...base,
      sli: null,
      goodEvents: null,
      totalEvents: null,
      errorBudget: null,
      status: 'pending',
      updatedAt: null,
      stale: false,
    };
  }
  const { goodEvents, totalEvents } = measurement;
  const counts =
    goodEvents !== null && totalEvents !== null
      ? { good: goodEvents, total: totalEvents }
      : undefined;
  const errorBudget = counts
    ? computeErrorBudget(slo.targetPercent, slo.window.minutes, counts)
    : null;
  return {
    ...base,
    sli: counts ? sliPercent(counts) : null,
    goodEvents,
    totalEvents,
    errorBudget,
    status: budgetStatus(errorBudget),
    updatedAt: measurement.measuredAt,
    stale: measurement.stale,
    ...(measurement.error ? { error: measurement.error } : {}),
  };
}
