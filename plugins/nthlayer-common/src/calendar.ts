import { DateTime } from 'luxon';
import { SloWindow } from './types';

const UNITS = { M: 'month', Q: 'quarter', W: 'week' } as const;

/** @public */
export const ACCEPTED_CALENDAR_WINDOWS =
  '1M (calendar month), 1Q (calendar quarter) or 1W (ISO week), in the service time zone';

/** Parses `1M`, `1Q`, `1W` into a calendar window in `timeZone`. @public */
export function parseCalendarWindow(text: string, timeZone: string): SloWindow | undefined {
  const match = /^1([MQW])$/.exec(text.trim());
  if (!match || !isValidTimeZone(timeZone)) return undefined;
  const unit = UNITS[match[1] as keyof typeof UNITS];
  const nominalDays = { month: 30, quarter: 91, week: 7 }[unit];
  return { text: `1${match[1]}`, minutes: nominalDays * 1440, calendar: { unit, timeZone } };
}

/** True for IANA zone names luxon knows (e.g. `Europe/Berlin`, `UTC`). @public */
export function isValidTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** The concrete interval an SLO window covers when evaluated at `at`. @public */
export interface ResolvedWindow {
  start: Date;
  /** End of the period (calendar) or `at` (rolling). */
  end: Date;
  /** Length of the whole period in minutes: the budget's W. */
  periodMinutes: number;
  /** Seconds from the start to `at`: the PromQL range to read. */
  elapsedSeconds: number;
  /** PromQL range, e.g. `30d` or `1234567s`. */
  range: string;
}

/**
 * Resolves a window at a time: rolling windows end at `at`; calendar windows run from the
 * start of the current month/quarter/week in their time zone to its end, and the budget is
 * the whole period's (a 31-day month has more budget minutes than February).
 *
 * @public
 */
export function resolveWindow(window: SloWindow, at: Date): ResolvedWindow {
  if (!window.calendar) {
    const seconds = window.minutes * 60;
    return {
      start: new Date(at.getTime() - seconds * 1000),
      end: at,
      periodMinutes: window.minutes,
      elapsedSeconds: seconds,
      range: window.text,
    };
  }
  const now = DateTime.fromJSDate(at).setZone(window.calendar.timeZone);
  const start = now.startOf(window.calendar.unit);
  const end = start.plus({ [`${window.calendar.unit}s`]: 1 });
  const elapsedSeconds = Math.max(1, Math.floor(now.diff(start, 'seconds').seconds));
  return {
    start: start.toJSDate(),
    end: end.toJSDate(),
    periodMinutes: end.diff(start, 'minutes').minutes,
    elapsedSeconds,
    range: `${elapsedSeconds}s`,
  };
}
