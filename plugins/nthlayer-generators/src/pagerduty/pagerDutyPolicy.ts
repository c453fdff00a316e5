import { ServiceTier } from '@nthlayer/backstage-plugin-common';

/**
 * What NthLayer asks of PagerDuty for each tier.
 *
 * - Escalation: an unacknowledged incident leaves the primary on-call after
 *   `escalationDelayMinutes` (tier 1: 5, tier 2: 15, tier 3: 30) and goes to the secondary;
 *   the policy repeats `numLoops` times.
 * - Urgency: tier 1 always high; tier 2 high during support hours and low outside them
 *   (raised to high when support hours start); tier 3 always low.
 *
 * @public
 */
export interface PagerDutyTierPolicy {
  escalationDelayMinutes: number;
  numLoops: number;
  urgency: 'high' | 'support-hours' | 'low';
}

/** @public */
export const PAGERDUTY_TIER_POLICIES: Record<ServiceTier, PagerDutyTierPolicy> =
  {
    1: { escalationDelayMinutes: 5, numLoops: 2, urgency: 'high' },
    2: { escalationDelayMinutes: 15, numLoops: 1, urgency: 'support-hours' },
    3: { escalationDelayMinutes: 30, numLoops: 0, urgency: 'low' },
  };

/** Support hours of tier 2 services: Monday to Friday, 09:00 to 17:00 local time. */
export const SUPPORT_HOURS = {
  days: [1, 2, 3, 4, 5],
  start: '09:00:00',
  end: '17:00:00',
};

/** The weekly rotation hands over on Mondays at 09:00 local time. */
export const ROTATION = {
  /** A Monday; the layer's start and the rotation's virtual start. */
  day: '2024-01-01',
  time: '09:00:00',
  turnSeconds: 7 * 24 * 3600,
  /** Placeholder users per rotation: a rotation needs at least two people. */
  users: 2,
};

/**
 * Ids NthLayer cannot know are written as `nthlayer:<kind>:<key>` placeholders, to be
 * replaced by whoever applies the desired state (with the id of the object created from
 * the same document, or looked up by name or e-mail).
 *
 * @public
 */
export function pagerDutyPlaceholder(
  kind: 'team' | 'user' | 'schedule' | 'escalation_policy',
  key: string,
): string {
  return `nthlayer:${kind}:${key}`;
}

// Building an Intl.DateTimeFormat costs ~0.1 ms, more than the rest of a PagerDuty document;
// zones are few, so formatters and answers are kept (bounded by the runtime's zone list).
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, string>();
const knownZones = new Map<string, boolean>();

/** `+01:00` for Europe/Berlin on `day` (no clock: the instant is fixed). */
export function utcOffset(timeZone: string, day: string, time: string): string {
  const cacheKey = `${timeZone} ${day}T${time}`;
  const cached = offsets.get(cacheKey);
  if (cached !== undefined) return cached;
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const part = format
    .formatToParts(new Date(`${day}T${time}Z`))
    .find(p => p.type === 'timeZoneName')?.value;
  const offset = part?.replace('GMT', '') || 'Z';
  if (offsets.size < 10_000) offsets.set(cacheKey, offset);
  return offset;
}

/**
 * True for named zones the runtime knows (IANA names and `UTC`). Offsets such as `+01:00`,
 * which the runtime accepts too, are not zones PagerDuty takes.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  const cached = knownZones.get(timeZone);
  if (cached !== undefined) return cached;
  let known: boolean;
  try {
    // The constructor throws a RangeError for a zone the runtime does not know.
    known =
      /^[A-Za-z]/.test(timeZone) &&
      Boolean(new Intl.DateTimeFormat('en-US', { timeZone }));
  } catch {
    known = false;
  }
  if (knownZones.size < 10_000) knownZones.set(timeZone, known);
  return known;
}
