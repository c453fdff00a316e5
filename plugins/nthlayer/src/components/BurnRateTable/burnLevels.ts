import {
  BURN_RATE_WINDOWS,
  BurnRate,
  BurnRateWindow,
  MWMBR_THRESHOLDS,
  exceedsBurnFactor,
} from '@nthlayer/backstage-plugin-common';

/**
 * How a burn rate is shown: `none` without traffic, `ok` up to 1, `elevated` (amber) above 1
 * (spending faster than the budget allows), `firing` (red) above the factor of an alert pair
 * that uses this window — the same rule (`exceedsBurnFactor`) the alerts fire by.
 */
export type BurnLevel = 'none' | 'ok' | 'elevated' | 'firing';

/** The burn rates as a record by window, as `firingBurnAlerts` takes them. */
export function burnRatesByWindow(
  rates: BurnRate[],
): Partial<Record<BurnRateWindow, number | null>> {
  const known = new Set<string>(BURN_RATE_WINDOWS);
  return Object.fromEntries(
    rates.filter(r => known.has(r.window)).map(r => [r.window, r.burnRate]),
  );
}

/** Lowest factor of the alert pairs (long or short window) that use `window`. */
export function lowestFiringFactor(window: string): number | null {
  const factors = MWMBR_THRESHOLDS.filter(
    t => t.longWindow === window || t.shortWindow === window,
  ).map(t => t.factor);
  return factors.length ? Math.min(...factors) : null;
}

/** Level of one window's burn rate. */
export function burnLevel(window: string, rate: number | null): BurnLevel {
  if (rate === null || !Number.isFinite(rate)) return 'none';
  const factor = lowestFiringFactor(window);
  if (factor !== null && exceedsBurnFactor(rate, factor)) return 'firing';
  if (exceedsBurnFactor(rate, 1)) return 'elevated';
  return 'ok';
}

/** `14.4×`, `0.52×`, `—` without traffic. */
export function formatBurnRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  if (rate >= 100) return `${Math.round(rate)}×`;
  if (rate >= 10) return `${rate.toFixed(1)}×`;
  return `${rate.toFixed(2)}×`;
}
