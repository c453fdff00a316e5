/**
 * The shapes of the PagerDuty REST API v2 objects NthLayer reads back (responses of
 * `GET /services/{id}`, `GET /escalation_policies/{id}`, `GET /schedules/{id}`, `GET /teams`,
 * `GET /incidents`). Only the fields NthLayer reads are named; PagerDuty sends many more,
 * which are kept (the index signatures) but never relied upon. Responses are not validated
 * by the client: readers of these objects treat every named field as possibly missing or
 * `null`, as PagerDuty sends `null` for turned-off or unset values (e.g. `resolved_at` of an
 * open incident, `auto_resolve_timeout` when auto-resolution is off).
 */

/**
 * A reference to another object: `{ id, type: '<kind>_reference', summary, self, html_url }`
 * (components/schemas/Reference). `summary` is usually the referenced object's name.
 *
 * @public
 */
export interface PagerDutyReference {
  id: string;
  type: string;
  summary?: string | null;
  self?: string | null;
  html_url?: string | null;
  [field: string]: unknown;
}

/** A team (components/schemas/Team). @public */
export interface PagerDutyTeamObject {
  id: string;
  type: string;
  name: string;
  description?: string | null;
  [field: string]: unknown;
}

/** A schedule layer (components/schemas/ScheduleLayer). @public */
export interface PagerDutyScheduleLayerObject {
  id?: string;
  name?: string | null;
  start: string;
  end?: string | null;
  rotation_virtual_start: string;
  rotation_turn_length_seconds: number;
  users: Array<{ user: PagerDutyReference }>;
  restrictions?: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/** A schedule (components/schemas/Schedule). @public */
export interface PagerDutyScheduleObject {
  id: string;
  type: string;
  name: string;
  description?: string | null;
  time_zone: string;
  schedule_layers?: PagerDutyScheduleLayerObject[];
  [field: string]: unknown;
}

/** An escalation rule (components/schemas/EscalationRule). @public */
export interface PagerDutyEscalationRuleObject {
  id?: string;
  escalation_delay_in_minutes: number;
  targets: PagerDutyReference[];
  [field: string]: unknown;
}

/** An escalation policy (components/schemas/EscalationPolicy). @public */
export interface PagerDutyEscalationPolicyObject {
  id: string;
  type: string;
  name: string;
  description?: string | null;
  num_loops?: number | null;
  on_call_handoff_notifications?: string | null;
  escalation_rules: PagerDutyEscalationRuleObject[];
  teams?: PagerDutyReference[];
  services?: PagerDutyReference[];
  [field: string]: unknown;
}

/** An urgency (components/schemas/IncidentUrgencyType). @public */
export interface PagerDutyUrgencyTypeObject {
  type?: string;
  urgency?: string;
  [field: string]: unknown;
}

/** A service (components/schemas/Service). @public */
export interface PagerDutyServiceObject {
  id: string;
  type: string;
  name: string;
  description?: string | null;
  status?: string | null;
  escalation_policy?: PagerDutyReference | null;
  incident_urgency_rule?:
    | (PagerDutyUrgencyTypeObject & {
        during_support_hours?: PagerDutyUrgencyTypeObject | null;
        outside_support_hours?: PagerDutyUrgencyTypeObject | null;
      })
    | null;
  support_hours?: {
    type?: string;
    time_zone?: string;
    days_of_week?: number[];
    start_time?: string;
    end_time?: string;
  } | null;
  scheduled_actions?: Array<{
    type?: string;
    at?: { type?: string; name?: string };
    to_urgency?: string;
  }> | null;
  acknowledgement_timeout?: number | null;
  auto_resolve_timeout?: number | null;
  [field: string]: unknown;
}

/** An incident (components/schemas/Incident). @public */
export interface PagerDutyIncidentObject {
  id: string;
  type?: string;
  incident_number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: string;
  /** `null` when the account uses no priorities or the incident has none. */
  priority?: {
    id: string;
    summary?: string | null;
    [field: string]: unknown;
  } | null;
  service: PagerDutyReference;
  created_at: string;
  updated_at?: string;
  /** The time the incident was resolved; `null` (or absent) while it is open. */
  resolved_at?: string | null;
  html_url?: string | null;
  [field: string]: unknown;
}

/** `POST /teams` and `PUT /teams/{id}`. @public */
export interface PagerDutyTeamBody {
  team: Record<string, unknown>;
}
/** `POST /schedules` and `PUT /schedules/{id}`. @public */
export interface PagerDutyScheduleBody {
  schedule: Record<string, unknown>;
}
/** `POST /escalation_policies` and `PUT /escalation_policies/{id}`. @public */
export interface PagerDutyEscalationPolicyBody {
  escalation_policy: Record<string, unknown>;
}
/** `POST /services` and `PUT /services/{id}`. @public */
export interface PagerDutyServiceBody {
  service: Record<string, unknown>;
}
