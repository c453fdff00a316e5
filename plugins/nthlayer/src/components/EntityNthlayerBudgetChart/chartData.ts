import {
  SloHistoryPoint,
  SloHistoryResponse,
} from '@nthlayer/backstage-plugin-common';

/** One point of the burn-down, as the chart plots it (time in epoch milliseconds). */
export interface BudgetChartRow {
  time: number;
  /** Error budget remaining in percent; negative when overspent, null without data. */
  remainingPercent: number | null;
  remainingMinutes: number | null;
  sli: number | null;
}

/** Status thresholds drawn on the chart (DESIGN §3), with the status colours. */
export const BUDGET_THRESHOLDS = [
  { percent: 25, label: 'warning 25 %', colour: '#ffb300' },
  { percent: 10, label: 'critical 10 %', colour: '#e65100' },
  { percent: 0, label: 'budget exhausted / target', colour: '#c62828' },
] as const;

/** History points as chart rows, ordered by time; unparsable times are dropped. */
export function toChartRows(points: SloHistoryPoint[]): BudgetChartRow[] {
  return points
    .map(point => ({
      time: Date.parse(point.time),
      remainingPercent:
        point.remainingRatio === null ? null : point.remainingRatio * 100,
      remainingMinutes: point.remainingMinutes,
      sli: point.sli,
    }))
    .filter(row => Number.isFinite(row.time))
    .sort((a, b) => a.time - b.time);
}

/** Time range of the chart: the requested range, widened to cover every point. */
export function timeDomain(
  history: Pick<SloHistoryResponse, 'from' | 'to'>,
  rows: BudgetChartRow[],
): [number, number] {
  const times = rows.map(r => r.time);
  const from = Date.parse(history.from);
  const to = Date.parse(history.to);
  return [
    Math.min(...times, Number.isFinite(from) ? from : Infinity),
    Math.max(...times, Number.isFinite(to) ? to : -Infinity),
  ];
}

/**
 * Percent axis: always 0 … 100 so the thresholds are visible, widened in steps of 10 to
 * show an overspent budget (below 0) in full.
 */
export function percentDomain(
  rows: Array<Pick<BudgetChartRow, 'remainingPercent'>>,
): [number, number] {
  const values = rows
    .map(r => r.remainingPercent)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const low = Math.min(0, ...values);
  const high = Math.max(100, ...values);
  return [Math.floor(low / 10) * 10, Math.ceil(high / 10) * 10];
}

const dayFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
});
const hourFormat = new Intl.DateTimeFormat('en', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dateTimeFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Axis tick: `Jan 5`, or `14:00` when the chart spans two days or less. */
export function formatTick(time: number, spanMs: number): string {
  return spanMs <= 2 * 24 * 3600_000
    ? hourFormat.format(time)
    : dayFormat.format(time);
}

/** Tooltip time: `Jan 5, 14:00` (local time). */
export function formatTooltipTime(time: number): string {
  return dateTimeFormat.format(time);
}
