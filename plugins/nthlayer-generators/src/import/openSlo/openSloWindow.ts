import {
  ACCEPTED_WINDOWS,
  SloWindow,
  parseCalendarWindow,
  parseSloWindow,
} from '@nthlayer/backstage-plugin-common';
import { DateTime } from 'luxon';
import { OpenSloDoc, OpenSloReporter, openSloPosition, report, shortValue } from './openSloFindings';

/** OpenSLO's calendar durations NthLayer has a calendar window for. */
const CALENDAR_TEXT: Record<string, string> = { '1M': '1M', '1Q': '1Q', '1w': '1W', '1W': '1W' };

const UTC_ALIASES = /^(Etc\/)?(UTC|UCT|GMT|Universal|Zulu)$/i;

/** What reading a window needs besides the document. @public */
export interface WindowOptions {
  fallbackWindow: SloWindow;
  defaultTimeZone?: string;
}

/** `Etc/UTC` (how NthLayer writes UTC in OpenSLO) and its aliases are `UTC`. */
function zoneOf(zone: unknown, options: WindowOptions): string {
  const chosen = typeof zone === 'string' && zone.trim() ? zone.trim() : options.defaultTimeZone ?? 'UTC';
  return UTC_ALIASES.test(chosen) ? 'UTC' : chosen;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A calendar's `startTime` that is not the start of a period: NthLayer aligns to periods. */
function checkAlignment(doc: OpenSloDoc, calendar: Record<string, unknown>, window: SloWindow, reporter: OpenSloReporter) {
  if (typeof calendar.startTime !== 'string' || !window.calendar) return;
  const { unit, timeZone } = window.calendar;
  const start = DateTime.fromFormat(calendar.startTime, 'yyyy-MM-dd HH:mm:ss', { zone: timeZone });
  if (!start.isValid || start.equals(start.startOf(unit))) return;
  const period = { month: 'month', quarter: 'quarter', week: 'ISO week (Monday)' }[unit];
  report(
    reporter,
    'warning',
    openSloPosition(doc, 'spec.timeWindow[0].calendar.startTime'),
    `is not the start of a calendar ${period}`,
    `a startTime at the start of a ${period}`,
    `NthLayer aligns ${window.text} windows to the start of each ${period} in ${timeZone}; the offset is not imported.`,
  );
}

/**
 * The window of an SLO document from `spec.timeWindow[0]`: a rolling duration NthLayer
 * accepts, or a calendar `1M`, `1Q`, `1w` in the calendar's time zone. Anything else is a
 * warning finding and `fallbackWindow` applies.
 *
 * @public
 */
export function readOpenSloWindow(doc: OpenSloDoc, options: WindowOptions, reporter: OpenSloReporter): SloWindow {
  const spec = doc.value.spec as Record<string, unknown>;
  const windows = Array.isArray(spec.timeWindow) ? spec.timeWindow : [];
  const fallback = `The fallback window ${options.fallbackWindow.text} is used.`;
  const first = windows[0];
  if (!isMapping(first)) {
    report(reporter, 'warning', openSloPosition(doc, 'spec.timeWindow'), 'is missing', ACCEPTED_WINDOWS, fallback);
    return options.fallbackWindow;
  }
  const path = 'spec.timeWindow[0]';
  if (first.isRolling === true) {
    const window = typeof first.duration === 'string' ? parseSloWindow(first.duration) : undefined;
    if (window) return window;
    report(
      reporter,
      'warning',
      openSloPosition(doc, `${path}.duration`),
      `is ${shortValue(first.duration)}, a rolling window NthLayer cannot measure`,
      ACCEPTED_WINDOWS,
      fallback,
    );
    return options.fallbackWindow;
  }
  const calendar = isMapping(first.calendar) ? first.calendar : {};
  const text = typeof first.duration === 'string' ? CALENDAR_TEXT[first.duration] : undefined;
  if (!text) {
    report(
      reporter,
      'warning',
      openSloPosition(doc, `${path}.duration`),
      `is ${shortValue(first.duration)}, a calendar window NthLayer has no calendar for`,
      'a calendar window of 1M (month), 1Q (quarter) or 1w (ISO week)',
      fallback,
    );
    return options.fallbackWindow;
  }
  const zone = zoneOf(calendar.timeZone, options);
  const window = parseCalendarWindow(text, zone);
  if (!window) {
    report(
      reporter,
      'warning',
      openSloPosition(doc, `${path}.calendar.timeZone`),
      `is ${shortValue(zone)}, not a time zone NthLayer knows`,
      'an IANA time zone such as Europe/Berlin or Etc/UTC',
      fallback,
    );
    return options.fallbackWindow;
  }
  checkAlignment(doc, calendar, window, reporter);
  return window;
}
