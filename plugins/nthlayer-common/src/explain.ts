import { SloReport } from './types';

function formatDuration(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/**
 * The "why" of an SLO's status in plain words: what was spent, out of what, and where the
 * current burn leads.
 *
 * @public
 */
export function explainSlo(report: Omit<SloReport, 'explanation'>): string {
  if (report.status === 'pending') return 'Not measured yet: waiting for the first refresh.';
  const budget = report.errorBudget;
  if (!budget || report.totalEvents === null || report.goodEvents === null) {
    return `No events in the ${report.window} window: no data is not 100 %.`;
  }
  const bad = report.totalEvents - report.goodEvents;
  const what = report.kind === 'latency' ? 'slower than the threshold' : 'failed';
  const allowed = (100 - report.targetPercent).toPrecision(3).replace(/\.?0+$/, '');
  const errorPercent = ((bad / report.totalEvents) * 100).toPrecision(3);
  const spent = (100 * (1 - budget.remainingRatio)).toFixed(1);
  const parts = [
    `${formatCount(bad)} of ${formatCount(report.totalEvents)} events ${what} in the ${report.window} window (${errorPercent} %, allowed ${allowed} %): ${spent} % of the error budget is spent.`,
  ];
  const burn1h = report.burnRates.find(r => r.window === '1h')?.burnRate ?? null;
  if (report.lowTraffic) {
    parts.push('Traffic is too low for burn rates to mean much; it will not page.');
  } else if (budget.remainingRatio <= 0) {
    parts.push('The budget is exhausted; risky deploys should wait.');
  } else if (burn1h !== null && report.timeToExhaustionMinutes !== null) {
    parts.push(
      `Burning at ${burn1h.toFixed(1)}× over the last hour, the rest lasts about ${formatDuration(report.timeToExhaustionMinutes)}.`,
    );
  } else if (burn1h === 0) {
    parts.push('No errors in the last hour.');
  }
  return parts.join(' ');
}
