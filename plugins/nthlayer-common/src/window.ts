import { parsePrometheusDuration } from './time';
import { SloWindow } from './types';

/** Windows NthLayer accepts, for error messages. @public */
export const ACCEPTED_WINDOWS =
  'a rolling window between 1h and 90d (e.g. 30d, 28d, 7d) or a calendar window 1M, 1Q or 1W';

/**
 * Parses a rolling window such as `30d`; returns undefined when malformed or out of range.
 * Narrower than a Prometheus duration: one unit of `m`, `h`, `d` or `w`, no leading zero
 * (its text is kept as written: it keys stored measurements).
 *
 * @public
 */
export function parseSloWindow(text: string): SloWindow | undefined {
  const match = /^([1-9][0-9]*)([mhdw])$/.exec(text.trim());
  if (!match) return undefined;
  const minutes = (parsePrometheusDuration(match[0]) ?? Infinity) / 60_000;
  if (!(minutes >= 60 && minutes <= 90 * 1440)) return undefined;
  return { text: `${match[1]}${match[2]}`, minutes };
}

/** A key that identifies a window definition, time zone included. @public */
export function windowKey(window: SloWindow): string {
  return window.calendar ? `${window.text}@${window.calendar.timeZone}` : window.text;
}
