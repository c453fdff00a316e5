import { budgetStatus, burnRate, computeErrorBudget, sliPercent } from './budget';
import { BURN_RATE_WINDOWS, timeToExhaustionMinutes } from './burn';
import { explainSlo } from './explain';
import { BurnRate, SloDefinition, SloReport } from './types';
import { windowKey } from './window';

/** Good and total events over one short window. @public */
export interface WindowCounts {
  window: string;
  goodEvents: number;
  totalEvents: number;
}

/**
 * What the budget engine measured for one SLO: event counts over its window and over the
 * burn-rate windows. The target is applied when reporting, so a changed target needs no
 * new measurement.
 *
 * @public
 */
export interface SloMeasurement {
  sloName: string;
  /** `windowKey` of the window measured, e.g. `30d` or `1M@Europe/Berlin`. */
  window: string;
  /** The budget's W in minutes for that measurement (calendar periods vary). */
  windowMinutes: number;
  thresholdMs: number | null;
  /** Null when no measurement ever succeeded. */
  goodEvents: number | null;
  totalEvents: number | null;
  /** Counts over the burn-rate windows. */
  shortWindows: WindowCounts[];
  /** When the counts were measured (ISO 8601), null if never. */
  measuredAt: string | null;
  stale: boolean;
  error: string | null;
}

/** @public */
export interface SloReportOptions {
  /** Below this many events per second over 1 h a service is low-traffic. Default 0.1. */
  minEventRate?: number;
}

/** True when a measurement was taken for this SLO's current definition. @public */
export function measurementMatches(slo: SloDefinition, m: SloMeasurement): boolean {
  return (
    m.sloName === slo.name &&
    m.window === windowKey(slo.window) &&
    (m.thresholdMs ?? null) === (slo.latency?.thresholdMs ?? null)
  );
}

function burnRates(slo: SloDefinition, m: SloMeasurement | undefined): BurnRate[] {
  return BURN_RATE_WINDOWS.map(window => {
    const counts = m?.shortWindows.find(w => w.window === window);
    return {
      window,
      burnRate: counts
        ? burnRate(slo.targetPercent, { good: counts.goodEvents, total: counts.totalEvents })
        : null,
    };
  });
}

/**
 * Builds the API's view of one SLO from its definition and latest measurement.
 *
 * @public
 */
export function buildSloReport(
  slo: SloDefinition,
  measurement: SloMeasurement | undefined,
  options: SloReportOptions = {},
): SloReport {
  const base = {
    name: slo.name,
    kind: slo.kind,
    targetPercent: slo.targetPercent,
    window: slo.window.text,
    ...(slo.latency ? { latency: slo.latency } : {}),
  };
  const m = measurement && measurementMatches(slo, measurement) ? measurement : undefined;
  const counts =
    m && m.goodEvents !== null && m.totalEvents !== null
      ? { good: m.goodEvents, total: m.totalEvents }
      : undefined;
  const windowMinutes = m?.windowMinutes || slo.window.minutes;
  const errorBudget = counts ? computeErrorBudget(slo.targetPercent, windowMinutes, counts) : null;
  const rates = burnRates(slo, m);
  const hour = m?.shortWindows.find(w => w.window === '1h');
  const eventRate = hour ? hour.totalEvents / 3600 : null;
  const lowTraffic = eventRate !== null && eventRate < (options.minEventRate ?? 0.1);
  const burn1h = rates.find(r => r.window === '1h')?.burnRate ?? null;
  const report: SloReport = {
    ...base,
    sli: counts ? sliPercent(counts) : null,
    goodEvents: m ? m.goodEvents : null,
    totalEvents: m ? m.totalEvents : null,
    errorBudget,
    status: m ? budgetStatus(errorBudget) : 'pending',
    updatedAt: m ? m.measuredAt : null,
    stale: m ? m.stale : false,
    ...(m?.error ? { error: m.error } : {}),
    burnRates: rates,
    timeToExhaustionMinutes:
      errorBudget && !lowTraffic
        ? timeToExhaustionMinutes(errorBudget.remainingRatio, windowMinutes, burn1h)
        : null,
    eventRate,
    lowTraffic,
    explanation: '',
  };
  report.explanation = explainSlo(report);
  return report;
}
