import { ServiceTier } from '../types';
import { DriftFinding } from './types';

/** A point of remaining budget (ratio: 0.25 = 25 % left) at a time. @public */
export interface BudgetTrendPoint {
  time: string;
  remainingRatio: number | null;
}

/** The least-squares line through an SLO's remaining budget. @public */
export interface BudgetTrend {
  /** Slope in percentage points of budget per week (−0.5 = half a point lost each week). */
  slopePercentPerWeek: number;
  /** Remaining budget (%) at the last point. */
  currentPercent: number;
  /** Days until the line reaches 0 % at this slope; absent when not falling or already spent. */
  exhaustionDays?: number;
  /** Points the line was fitted to. */
  points: number;
  /** Days between the first and the last point. */
  spanDays: number;
}

/** Thresholds of budget-trend drift per tier (DESIGN §6 gives tier 1; tiers 2 and 3 are looser). @public */
export const BUDGET_TREND_THRESHOLDS: Record<ServiceTier, { warnPerWeek: number; criticalPerWeek: number; criticalExhaustionDays: number }> = {
  1: { warnPerWeek: -0.2, criticalPerWeek: -0.5, criticalExhaustionDays: 14 },
  2: { warnPerWeek: -0.5, criticalPerWeek: -1, criticalExhaustionDays: 7 },
  3: { warnPerWeek: -1, criticalPerWeek: -2, criticalExhaustionDays: 3 },
};

/** A trend needs this much history: a slope over a few hours says nothing about a week. @public */
export const BUDGET_TREND_MIN_POINTS = 6;
/** Least span of history, in days, for a trend. @public */
export const BUDGET_TREND_MIN_SPAN_DAYS = 1;

const WEEK_MS = 7 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The weekly slope of remaining budget by ordinary least squares over the points that have a
 * value (DESIGN §6 "reliability drift"); undefined with fewer than
 * {@link BUDGET_TREND_MIN_POINTS} points or less than {@link BUDGET_TREND_MIN_SPAN_DAYS} of
 * history. Pure.
 *
 * @public
 */
export function budgetTrend(points: BudgetTrendPoint[]): BudgetTrend | undefined {
  const xy = points
    .filter((p): p is { time: string; remainingRatio: number } => p.remainingRatio !== null && Number.isFinite(p.remainingRatio))
    .map(p => [Date.parse(p.time), p.remainingRatio * 100] as const)
    .filter(([x]) => Number.isFinite(x))
    .sort((a, b) => a[0] - b[0]);
  if (xy.length < BUDGET_TREND_MIN_POINTS) return undefined;
  const span = xy[xy.length - 1][0] - xy[0][0];
  if (span < BUDGET_TREND_MIN_SPAN_DAYS * DAY_MS) return undefined;
  // Centre x for numerical stability (epoch milliseconds are large).
  const x0 = xy[0][0];
  const n = xy.length;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of xy) {
    sx += x - x0;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of xy) {
    const dx = x - x0 - mx;
    sxy += dx * (y - my);
    sxx += dx * dx;
  }
  const slopePerMs = sxx === 0 ? 0 : sxy / sxx;
  const slopePercentPerWeek = slopePerMs * WEEK_MS;
  const currentPercent = xy[n - 1][1];
  const trend: BudgetTrend = { slopePercentPerWeek, currentPercent, points: n, spanDays: span / DAY_MS };
  if (slopePercentPerWeek < 0 && currentPercent > 0) {
    trend.exhaustionDays = (currentPercent / -slopePercentPerWeek) * 7;
  }
  return trend;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * The budget-trend finding of one SLO at its tier's thresholds
 * ({@link BUDGET_TREND_THRESHOLDS}), or undefined when the trend is within them.
 *
 * @public
 */
export function budgetTrendFinding(slo: string, tier: ServiceTier, trend: BudgetTrend): DriftFinding | undefined {
  const limits = BUDGET_TREND_THRESHOLDS[tier];
  const slope = trend.slopePercentPerWeek;
  const exhausting = trend.exhaustionDays !== undefined && trend.exhaustionDays < limits.criticalExhaustionDays;
  let severity: DriftFinding['severity'] | undefined;
  if (slope <= limits.criticalPerWeek || exhausting) severity = 'critical';
  else if (slope <= limits.warnPerWeek) severity = 'warning';
  if (!severity) return undefined;
  const exhaustion =
    trend.exhaustionDays !== undefined ? ` At this rate the budget is spent in ${round(trend.exhaustionDays, 1)} days.` : '';
  return {
    target: 'budget-trend',
    severity,
    kind: 'trend',
    object: slo,
    field: 'remaining budget per week',
    expected: `≥ ${limits.warnPerWeek} %/week (tier ${tier})`,
    actual: `${round(slope, 2)} %/week`,
    message:
      `The remaining budget of the ${slo} SLO falls by ${round(-slope, 2)} percentage points a week ` +
      `(least squares over ${trend.points} points, ${round(trend.spanDays, 1)} days; now ${round(trend.currentPercent, 1)} %).${exhaustion}`,
  };
}
