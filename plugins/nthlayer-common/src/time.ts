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

const DURATION_UNITS_MS = [
  365 * 86_400_000, // y
  7 * 86_400_000, // w
  86_400_000, // d
  3_600_000, // h
  60_000, // m
  1000, // s
  1, // ms
];

/** Prometheus' `model.ParseDuration`: units largest first, each at most once. */
const PROMETHEUS_DURATION =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Options of {@link parsePrometheusDuration}. @public */
export interface PrometheusDurationOptions {
  /**
   * Also accept a plain non-negative number of seconds (`90`, `1.5`), as the HTTP API's
   * `step` and `timeout` do. Prometheus' rule loader does not (`for: 300` is an error).
   */
  numberAsSeconds?: boolean;
}

/**
 * Milliseconds of a Prometheus duration, the grammar of Prometheus' `model.ParseDuration`:
 * integer parts with the units `y` (365 days), `w`, `d`, `h`, `m`, `s`, `ms`, largest first
 * and each at most once (`90s`, `2d`, `1h30m`, `1m500ms`), or `0` alone. Surrounding
 * whitespace is ignored. Anything else (`30m1h`, `1h1h`, `1.5h`, `5M`, `''`) is `undefined`.
 *
 * @public
 */
export function parsePrometheusDuration(
  text: string,
  options: PrometheusDurationOptions = {},
): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (options.numberAsSeconds && /^\d+(?:\.\d+)?$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  const match = trimmed ? PROMETHEUS_DURATION.exec(trimmed) : null;
  if (!match) return undefined;
  let ms = 0;
  DURATION_UNITS_MS.forEach((unit, i) => {
    if (match[i + 1] !== undefined) ms += Number(match[i + 1]) * unit;
  });
  return Number.isSafeInteger(ms) ? ms : undefined;
}
