import {
  ErrorBudget,
  SloReport,
  SloStatus,
} from '@nthlayer/backstage-plugin-common';

/**
 * Pure formatting of the numbers shown on the SLO card. No clock: callers pass `now`.
 */

/** Heading of an SLO: `Availability`, or `Checkout (latency)` when the name is not the kind. */
export function sloTitle(slo: Pick<SloReport, 'name' | 'kind'>): string {
  const name =
    slo.name.charAt(0).toLocaleUpperCase('en-US') + slo.name.slice(1);
  return slo.name === slo.kind ? name : `${name} (${slo.kind})`;
}

/** Target of an SLO: `99.9 %` for availability, `p95 < 500 ms` for latency. */
export function formatTarget(
  slo: Pick<SloReport, 'kind' | 'targetPercent' | 'latency'>,
) {
  if (slo.kind === 'latency' && slo.latency) {
    return `p${slo.latency.percentile} < ${slo.latency.thresholdMs} ms`;
  }
  return `${slo.targetPercent} %`;
}

function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * Measured SLI in percent, or `no data`. Three decimals, four when the target itself has
 * three or more (e.g. 99.995). Rounded down, so a service that failed any request never
 * shows `100.000 %`.
 */
export function formatSli(sli: number | null, targetPercent: number): string {
  if (sli === null || !Number.isFinite(sli)) return 'no data';
  const decimals = Math.min(4, Math.max(3, decimalsOf(targetPercent) + 1));
  const factor = 10 ** decimals;
  // The epsilon keeps float noise (99.95 stored as 99.94999…) from rounding a digit away.
  const floored = Math.floor(sli * factor + 1e-6) / factor;
  return `${floored.toFixed(decimals)} %`;
}

/** Remaining budget in percent: exactly `(remainingRatio * 100).toFixed(1)`, e.g. `15.0`. */
export function formatRemainingPercent(budget: ErrorBudget): string {
  return (budget.remainingRatio * 100).toFixed(1);
}

/** Remaining budget in minutes: exactly `remainingMinutes.toFixed(2)`, e.g. `6.48`. */
export function formatRemainingMinutes(budget: ErrorBudget): string {
  return budget.remainingMinutes.toFixed(2);
}

/** Budget size in minutes with at most two decimals and no trailing zeros, e.g. `43.2`. */
export function formatBudgetMinutes(minutes: number): string {
  return String(Number(minutes.toFixed(2)));
}

/** True when more than the whole budget was spent. */
export function isOverspent(budget: ErrorBudget): boolean {
  return budget.remainingMinutes < 0;
}

const STATUS_LABELS: Record<SloStatus, string> = {
  healthy: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
  exhausted: 'Exhausted',
  'no-data': 'No data',
  pending: 'Pending',
};

/** Human label of a status. */
export function statusLabel(status: SloStatus): string {
  return STATUS_LABELS[status] ?? status;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** `5 minutes ago`, `yesterday`, `now`; `never` for null, the input for unparsable text. */
export function formatRelativeTime(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((time - now.getTime()) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return relativeFormat.format(Math.trunc(seconds / size), unit);
    }
  }
  return iso;
}

/** `45 min`, `5.3 h`, `3.2 days`. */
export function formatDuration(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

/**
 * Where the current burn leads: `at the current burn (1 h), the budget lasts ~3.2 days`,
 * `not burning`, `exhausted`; null without a budget.
 */
export function formatTimeToExhaustion(
  slo: Pick<
    SloReport,
    'errorBudget' | 'timeToExhaustionMinutes' | 'lowTraffic'
  >,
): string | null {
  if (!slo.errorBudget) return null;
  if (slo.errorBudget.remainingRatio <= 0) return 'exhausted';
  if (slo.lowTraffic) return 'not projected: traffic too low';
  const minutes = slo.timeToExhaustionMinutes;
  if (minutes === null || !Number.isFinite(minutes)) return 'not burning';
  if (minutes <= 0) return 'exhausted';
  return `at the current burn (1 h), the budget lasts ~${formatDuration(
    minutes,
  )}`;
}
