import { DateTime, Duration } from 'luxon';

/**
 * ISO 8601 calendar date, optionally with a time (hours 00-23, optional seconds and
 * fraction) and an offset (`Z`, `+01:00`, `+0100`). No week or ordinal dates, no bare times.
 */
const ISO_SHAPE =
  /^\d{4}-\d{2}-\d{2}(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;
/** Unix seconds, optionally with a fraction. */
const UNIX_SECONDS = /^\d{1,12}(?:\.\d{1,9})?$/;

/**
 * Parses an API time parameter: an ISO 8601 date or date-time (`2026-11-30`,
 * `2026-11-30T10:00:00Z`, `2026-11-30T11:00+01:00`; without an offset it is UTC) or Unix
 * seconds (`1795996800`, `1795996800.5`). Anything else, or a date that does not exist
 * (30 February), is `undefined`.
 *
 * @public
 */
export function parseApiTime(value: string): Date | undefined {
  if (UNIX_SECONDS.test(value)) return new Date(Number(value) * 1000);
  if (!ISO_SHAPE.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/**
 * A duration as Backstage config and the scheduler give it: a luxon `Duration` or a
 * HumanDuration object (`{ minutes: 5 }`).
 *
 * @public
 */
export type DurationLike =
  | { toMillis(): number }
  | {
      years?: number;
      months?: number;
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    };

/**
 * Milliseconds of a duration (months 30 days, years 365 days, as luxon's casual matrix).
 *
 * @public
 */
export function durationLikeMs(duration: DurationLike): number {
  if ('toMillis' in duration && typeof duration.toMillis === 'function') {
    return duration.toMillis();
  }
  return Duration.fromObject(duration as Record<string, number>).toMillis();
}

/**
 * The period of a scheduler frequency in milliseconds; `undefined` for a cron expression or a
 * manual trigger, which have no fixed period.
 *
 * @public
 */
export function schedulePeriodMs(frequency: object): number | undefined {
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  const ms = durationLikeMs(frequency as DurationLike);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
