/**
 * Zod schemas of the PagerDuty REST API v2 request bodies NthLayer writes, so that the
 * generated desired state can be checked without PagerDuty and without its OpenAPI file:
 *
 * - `POST /teams`: `{ team }` (Team);
 * - `POST /schedules`: `{ schedule }` (Schedule, its schedule layers, layer users and
 *   restrictions);
 * - `POST /escalation_policies`: `{ escalation_policy }` (EscalationPolicy, escalation rules,
 *   escalation targets, team references);
 * - `POST /services` and `PUT /services/{id}`: `{ service }` (Service, escalation policy
 *   reference, incident urgency rule, support hours, scheduled actions, auto-pause
 *   notifications).
 *
 * Written by NthLayer from PagerDuty's published REST API v2 reference (the OpenAPI 3
 * description in github.com/PagerDuty/api-schema): the required fields, enums and formats
 * below are facts taken from it, expressed in our own schemas. Fields NthLayer neither
 * writes nor needs (read-only fields, deprecated alert grouping, ...) are allowed and left
 * unchecked, as the API ignores or checks them itself.
 *
 * Where the reference's prose is stricter or looser than its own schema, these schemas
 * follow the prose, which describes what the API does:
 *
 * - `support_hours.days_of_week` holds 1 (Monday) to 7 (Sunday);
 * - a service can only be created with `status: active`;
 * - an escalation policy has at most one team;
 * - `auto_resolve_timeout` and `acknowledgement_timeout` are not negative, and `null`
 *   turns them off;
 * - a `weekly_restriction` needs its `start_day_of_week`.
 *
 * `escalation_rule_assignment_strategy` is left unchecked: the reference's schema says a
 * string, its own request example sends an object.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { isKnownTimeZone } from './pagerDutyPolicy';

/** The object's own fields are checked; fields it does not name are allowed, as by the API. */
function object<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape).passthrough();
}

/**
 * The shape PagerDuty takes: seconds and an explicit offset (or `Z`) are required, hours
 * 00-23 (RFC 3339; luxon would also take ISO's 24:00). The calendar is luxon's to check.
 */
const DATE_TIME_SHAPE =
  /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * An RFC 3339 date-time with seconds and a UTC offset that is a real instant
 * (`2024-01-01T09:00:00+01:00`; not 30 February, not hour 24).
 */
export function isPagerDutyDateTime(value: string): boolean {
  return (
    DATE_TIME_SHAPE.test(value) &&
    DateTime.fromISO(value, { setZone: true }).isValid
  );
}

/** JSON Schema `maxLength` counts characters (code points), not UTF-16 units. */
function maxChars(limit: number) {
  return z
    .string()
    .refine(value => [...value].length <= limit, `at most ${limit} characters`);
}

const dateTime = z
  .string()
  .refine(
    isPagerDutyDateTime,
    'an RFC 3339 date-time with seconds and a UTC offset, e.g. 2024-01-01T09:00:00+01:00',
  );
const timeOfDay = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/,
    'a time of day as HH:MM:SS, e.g. 09:00:00',
  );
const timeZone = z
  .string()
  .refine(isKnownTimeZone, 'a time zone such as Europe/Berlin or UTC');
const integer = z.number().int();
const isoDayOfWeek = integer.min(1).max(7);

/** A reference to another PagerDuty object: its id and `<object>_reference` type. */
function reference<T extends string>(type: T) {
  return object({ id: z.string(), type: z.literal(type) });
}

export const pagerDutyTeam = object({
  id: z.string().optional(),
  type: z.literal('team'),
  name: maxChars(100),
  description: maxChars(1024).optional(),
  default_role: z.enum(['manager', 'none']).optional(),
});

const restrictionFields = {
  duration_seconds: integer,
  start_time_of_day: timeOfDay,
};

export const pagerDutyRestriction = z.discriminatedUnion('type', [
  object({
    type: z.literal('daily_restriction'),
    ...restrictionFields,
    start_day_of_week: isoDayOfWeek.optional(),
  }),
  object({
    type: z.literal('weekly_restriction'),
    ...restrictionFields,
    start_day_of_week: isoDayOfWeek,
  }),
]);

export const pagerDutyScheduleLayer = object({
  id: z.string().optional(),
  name: z.string().optional(),
  start: dateTime,
  end: dateTime.optional(),
  rotation_virtual_start: dateTime,
  rotation_turn_length_seconds: integer,
  users: z.array(object({ user: reference('user_reference') })),
  restrictions: z.array(pagerDutyRestriction).optional(),
});

export const pagerDutySchedule = object({
  id: z.string().optional(),
  type: z.literal('schedule'),
  name: z.string().optional(),
  description: z.string().optional(),
  time_zone: timeZone,
  schedule_layers: z.array(pagerDutyScheduleLayer).optional(),
});

/** The reference lists `user` and `schedule` (without `_reference`) as target types too. */
export const pagerDutyEscalationTarget = object({
  id: z.string(),
  type: z.enum([
    'user_reference',
    'schedule_reference',
    'schedule_v3_reference',
    'user',
    'schedule',
  ]),
});

export const pagerDutyEscalationRule = object({
  id: z.string().optional(),
  escalation_delay_in_minutes: integer,
  targets: z.array(pagerDutyEscalationTarget).min(1).max(10),
});

export const pagerDutyEscalationPolicy = object({
  id: z.string().optional(),
  type: z.literal('escalation_policy'),
  name: z.string(),
  description: z.string().optional(),
  num_loops: integer.min(0).optional(),
  on_call_handoff_notifications: z
    .enum(['if_has_services', 'always'])
    .optional(),
  escalation_rules: z.array(pagerDutyEscalationRule),
  teams: z.array(reference('team_reference')).max(1).optional(),
});

const urgency = z.enum(['high', 'low', 'severity_based']);
const urgencyType = {
  type: z.enum(['constant', 'use_support_hours']).optional(),
  urgency: urgency.optional(),
};

/**
 * `constant` with an `urgency`, or `use_support_hours` with an urgency type during and
 * outside support hours (the reference requires none of these fields; `type` defaults to
 * `constant`, `urgency` to `high`).
 */
export const pagerDutyIncidentUrgencyRule = object({
  ...urgencyType,
  during_support_hours: object(urgencyType).optional(),
  outside_support_hours: object(urgencyType).optional(),
});

export const pagerDutySupportHours = object({
  type: z.literal('fixed_time_per_day').optional(),
  time_zone: timeZone.optional(),
  days_of_week: z.array(isoDayOfWeek).optional(),
  start_time: timeOfDay.optional(),
  end_time: timeOfDay.optional(),
});

/** Raises low-urgency incidents to high when support hours start or end. */
export const pagerDutyScheduledAction = object({
  type: z.literal('urgency_change'),
  at: object({
    type: z.literal('named_time'),
    name: z.enum(['support_hours_start', 'support_hours_end']),
  }),
  to_urgency: z.literal('high'),
});

const timeout = integer.min(0).nullable().optional();
const AUTO_PAUSE_SECONDS = [0, 120, 180, 300, 600, 900];

const serviceFields = {
  id: z.string().optional(),
  type: z.literal('service'),
  name: z.string().optional(),
  description: z.string().optional(),
  auto_resolve_timeout: timeout,
  acknowledgement_timeout: timeout,
  escalation_policy: reference('escalation_policy_reference'),
  incident_urgency_rule: pagerDutyIncidentUrgencyRule.optional(),
  support_hours: pagerDutySupportHours.optional(),
  scheduled_actions: z.array(pagerDutyScheduledAction).optional(),
  alert_creation: z
    .enum(['create_incidents', 'create_alerts_and_incidents'])
    .optional(),
  auto_pause_notifications_parameters: object({
    enabled: z.boolean().optional(),
    timeout: integer
      .refine(
        s => AUTO_PAUSE_SECONDS.includes(s),
        `one of ${AUTO_PAUSE_SECONDS.join(', ')}`,
      )
      .optional(),
  }).optional(),
};

/** A service as `POST /services` creates it: always `active`. */
export const pagerDutyNewService = object({
  ...serviceFields,
  status: z.literal('active').optional(),
});

/** A service as `PUT /services/{id}` updates it. */
export const pagerDutyService = object({
  ...serviceFields,
  status: z
    .enum(['active', 'warning', 'critical', 'maintenance', 'disabled'])
    .optional(),
});

/**
 * The request bodies, by request: `POST /teams`, `POST /schedules`, `POST
 * /escalation_policies`, `POST /services`, `PUT /services/{id}`.
 */
export const pagerDutyRequestBodies = {
  team: object({ team: pagerDutyTeam }),
  schedule: object({ schedule: pagerDutySchedule }),
  escalationPolicy: object({ escalation_policy: pagerDutyEscalationPolicy }),
  createService: object({ service: pagerDutyNewService }),
  updateService: object({ service: pagerDutyService }),
};

/** A PagerDuty request NthLayer writes a body for. */
export type PagerDutyRequestKind = keyof typeof pagerDutyRequestBodies;

/** The body of a PagerDuty request of that kind, as the schemas above parse it. */
export type PagerDutyRequestBody<K extends PagerDutyRequestKind> = z.infer<
  (typeof pagerDutyRequestBodies)[K]
>;
