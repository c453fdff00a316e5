import { SloWindow } from './types';

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

/** Windows NthLayer accepts, for error messages. @public */
export const ACCEPTED_WINDOWS =
  'a rolling window between 1h and 90d (e.g. 30d, 28d, 7d) or a calendar window 1M, 1Q or 1W';

/**
 * Parses a rolling window such as `30d`; returns undefined when malformed or out of range.
 *
 * @public
 */
export function parseSloWindow(text: string): SloWindow | undefined {
  const match = /^([1-9][0-9]*)([mhdw])$/.exec(text.trim());
  if (!match) return undefined;
  const minutes = Number(match[1]) * UNIT_MINUTES[match[2]];
  if (minutes < 60 || minutes > 90 * 1440) return undefined;
  return { text: `${match[1]}${match[2]}`, minutes };
}

/** A key that identifies a window definition, time zone included. @public */
export function windowKey(window: SloWindow): string {
  return window.calendar ? `${window.text}@${window.calendar.timeZone}` : window.text;
}
