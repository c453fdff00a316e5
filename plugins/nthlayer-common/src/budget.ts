import { ErrorBudget, SloStatus } from './types';

/** Counted events of an SLO over its window. @public */
export interface EventCounts {
  good: number;
  total: number;
}

/**
 * Error budget (DESIGN §3), weighted by events: `e = 1 − good/total`,
 * budget = `(1 − T) × W`, consumed = `e × W`, remaining ratio = `1 − e / (1 − T)`.
 * Returns null when there was no traffic in the window: no data is not 100 %.
 *
 * @public
 */
export function computeErrorBudget(
  targetPercent: number,
  windowMinutes: number,
  events: EventCounts,
): ErrorBudget | null {
  if (!(events.total > 0)) return null;
  const allowed = 1 - targetPercent / 100;
  const errorRatio = clamp01(1 - events.good / events.total);
  const totalMinutes = allowed * windowMinutes;
  const consumedMinutes = errorRatio * windowMinutes;
  return {
    totalMinutes,
    consumedMinutes,
    remainingMinutes: totalMinutes - consumedMinutes,
    remainingRatio: 1 - errorRatio / allowed,
  };
}

/** Burn rate over a short window: `e_w / (1 − T)`. @public */
export function burnRate(targetPercent: number, events: EventCounts): number | null {
  if (!(events.total > 0)) return null;
  return clamp01(1 - events.good / events.total) / (1 - targetPercent / 100);
}

/** SLI in percent, null without traffic. @public */
export function sliPercent(events: EventCounts): number | null {
  if (!(events.total > 0)) return null;
  return clamp01(events.good / events.total) * 100;
}

/**
 * Status from the remaining ratio: healthy at 25 % or more, warning below 25 %, critical
 * below 10 %, exhausted at 0 or less, no-data without a budget.
 *
 * @public
 */
export function budgetStatus(budget: ErrorBudget | null): SloStatus {
  if (!budget) return 'no-data';
  const r = budget.remainingRatio;
  if (r <= 0) return 'exhausted';
  if (r < 0.1) return 'critical';
  if (r < 0.25) return 'warning';
  return 'healthy';
}

function clamp01(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(1, Math.max(0, x));
}
