/** Windows over which burn rates are measured and reported. @public */
export const BURN_RATE_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** @public */
export type BurnRateWindow = (typeof BURN_RATE_WINDOWS)[number];

/** Multi-window, multi-burn-rate alert thresholds (Google SRE workbook; DESIGN §3). @public */
export const MWMBR_THRESHOLDS: ReadonlyArray<{
  severity: 'page' | 'ticket';
  longWindow: BurnRateWindow;
  shortWindow: BurnRateWindow;
  factor: number;
  budgetSpentPercent: number;
}> = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', factor: 14.4, budgetSpentPercent: 2 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', factor: 6, budgetSpentPercent: 5 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', factor: 3, budgetSpentPercent: 10 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', factor: 1, budgetSpentPercent: 10 },
];

/**
 * Minutes until the budget is spent at burn rate `burn` (DESIGN §3:
 * `remaining_ratio × W / b`). 0 when already spent; null when not burning.
 *
 * @public
 */
export function timeToExhaustionMinutes(
  remainingRatio: number,
  windowMinutes: number,
  burn: number | null,
): number | null {
  if (remainingRatio <= 0) return 0;
  if (burn === null || !(burn > 0)) return null;
  return (remainingRatio * windowMinutes) / burn;
}

/**
 * The one rule for "this burn rate trips that factor": strictly above it, as the generated
 * Prometheus alerts (`... > factor`) and the budget maths fire. Used by the alert evaluation
 * and by every display of burn levels, so the UI never calls firing what the alerts do not.
 *
 * @public
 */
export function exceedsBurnFactor(rate: number | null | undefined, factor: number): boolean {
  return rate !== null && rate !== undefined && Number.isFinite(rate) && rate > factor;
}

/** Which MWMBR alerts would fire for these burn rates. @public */
export function firingBurnAlerts(
  burnRates: Partial<Record<BurnRateWindow, number | null>>,
): typeof MWMBR_THRESHOLDS[number][] {
  return MWMBR_THRESHOLDS.filter(t => {
    return (
      exceedsBurnFactor(burnRates[t.longWindow], t.factor) &&
      exceedsBurnFactor(burnRates[t.shortWindow], t.factor)
    );
  });
}
