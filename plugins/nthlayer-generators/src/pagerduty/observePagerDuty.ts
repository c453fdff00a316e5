import { PagerDutyDesiredState } from './generatePagerDuty';
import { PagerDutyApiError, PagerDutyClient } from './client';
import {
  PagerDutyEscalationPolicyObject,
  PagerDutyReference,
  PagerDutyScheduleObject,
  PagerDutyServiceObject,
  PagerDutyTeamObject,
  PagerDutyUrgencyTypeObject,
} from './pagerDutyObjects';

/** A reference as observed: the referenced object's id, type and name (PagerDuty's summary). @public */
export interface ObservedPagerDutyReference {
  /** `schedule`, `user`, `team`, `escalation_policy`: the reference type without `_reference`. */
  type: string;
  id: string;
  name: string | null;
}

/** An urgency as observed. @public */
export interface ObservedPagerDutyUrgency {
  type: string | null;
  urgency: string | null;
}

/** The service as observed. @public */
export interface ObservedPagerDutyService {
  id: string;
  name: string;
  description: string | null;
  /** `active`, `warning`, `critical` (active with open incidents), `maintenance`, `disabled`. */
  status: string | null;
  escalationPolicy: ObservedPagerDutyReference | null;
  urgencyRule: ObservedPagerDutyUrgency & {
    duringSupportHours: ObservedPagerDutyUrgency | null;
    outsideSupportHours: ObservedPagerDutyUrgency | null;
  };
  supportHours: {
    type: string | null;
    timeZone: string | null;
    daysOfWeek: number[];
    startTime: string | null;
    endTime: string | null;
  } | null;
  /** `urgency_change at support_hours_start to high`, one text per action. */
  scheduledActions: string[];
  /** Seconds, or null when turned off. */
  acknowledgementTimeout: number | null;
  /** Seconds, or null when turned off. */
  autoResolveTimeout: number | null;
}

/** An escalation rule as observed. @public */
export interface ObservedPagerDutyEscalationRule {
  delayMinutes: number | null;
  targets: ObservedPagerDutyReference[];
}

/** The escalation policy as observed. @public */
export interface ObservedPagerDutyEscalationPolicy {
  id: string;
  name: string;
  description: string | null;
  numLoops: number | null;
  onCallHandoffNotifications: string | null;
  rules: ObservedPagerDutyEscalationRule[];
  teams: ObservedPagerDutyReference[];
}

/** The team as observed. @public */
export interface ObservedPagerDutyTeam {
  id: string;
  name: string;
  description: string | null;
}

/** A schedule layer as observed (its users by id, in rotation order). @public */
export interface ObservedPagerDutyScheduleLayer {
  id: string | null;
  name: string | null;
  start: string | null;
  end: string | null;
  rotationVirtualStart: string | null;
  rotationTurnLengthSeconds: number | null;
  userIds: string[];
  /** Each restriction as canonical JSON (sorted keys). */
  restrictions: string[];
}

/** A schedule as observed. @public */
export interface ObservedPagerDutySchedule {
  id: string;
  name: string;
  description: string | null;
  timeZone: string | null;
  layers: ObservedPagerDutyScheduleLayer[];
}

/**
 * What runs in PagerDuty for one service, normalised: each part is `undefined` when
 * PagerDuty has no such object. `schedules[i]` is the schedule of the name of the desired
 * state's `schedules[i]`.
 *
 * @public
 */
export interface ObservedPagerDuty {
  service?: ObservedPagerDutyService;
  escalationPolicy?: ObservedPagerDutyEscalationPolicy;
  team?: ObservedPagerDutyTeam;
  schedules: Array<ObservedPagerDutySchedule | undefined>;
}

/** The reads {@link observePagerDuty} makes. @public */
export type PagerDutyReader = Pick<
  PagerDutyClient,
  | 'getService'
  | 'findServiceByName'
  | 'getEscalationPolicy'
  | 'findEscalationPolicyByName'
  | 'findTeamByName'
  | 'findScheduleByName'
  | 'getSchedule'
>;

const str = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Keys sorted at every level, so that equal objects have equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b, 'en'));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function reference(
  ref: PagerDutyReference | null | undefined,
): ObservedPagerDutyReference | null {
  if (!ref || typeof ref.id !== 'string') return null;
  return {
    type: String(ref.type ?? '')
      .replace(/_reference$/, '')
      .replace(/_v3$/, ''),
    id: ref.id,
    name: str(ref.summary),
  };
}

function urgency(
  value: PagerDutyUrgencyTypeObject | null | undefined,
): ObservedPagerDutyUrgency | null {
  if (!value) return null;
  return { type: str(value.type), urgency: str(value.urgency) };
}

/** Text of a scheduled action, e.g. `urgency_change at support_hours_start to high`. */
export function scheduledActionText(action: {
  type?: unknown;
  at?: { name?: unknown } | null;
  to_urgency?: unknown;
}): string {
  return `${String(action.type ?? '?')} at ${String(
    action.at?.name ?? '?',
  )} to ${String(action.to_urgency ?? '?')}`;
}

/** Normalises a service as PagerDuty answers it. @public */
export function normalisePagerDutyService(
  service: PagerDutyServiceObject,
  policyName?: string | null,
): ObservedPagerDutyService {
  const rule = service.incident_urgency_rule ?? null;
  const hours = service.support_hours ?? null;
  const policy = reference(service.escalation_policy);
  return {
    id: service.id,
    name: String(service.name ?? ''),
    description: str(service.description),
    status: str(service.status),
    escalationPolicy:
      policy && policyName !== undefined
        ? { ...policy, name: policyName ?? policy.name }
        : policy,
    urgencyRule: {
      type: str(rule?.type),
      urgency: str(rule?.urgency),
      duringSupportHours: urgency(rule?.during_support_hours),
      outsideSupportHours: urgency(rule?.outside_support_hours),
    },
    supportHours: hours
      ? {
          type: str(hours.type),
          timeZone: str(hours.time_zone),
          daysOfWeek: Array.isArray(hours.days_of_week)
            ? hours.days_of_week.filter(d => typeof d === 'number')
            : [],
          startTime: str(hours.start_time),
          endTime: str(hours.end_time),
        }
      : null,
    scheduledActions: (service.scheduled_actions ?? []).map(
      scheduledActionText,
    ),
    acknowledgementTimeout: num(service.acknowledgement_timeout),
    autoResolveTimeout: num(service.auto_resolve_timeout),
  };
}

/** Normalises an escalation policy as PagerDuty answers it. @public */
export function normalisePagerDutyEscalationPolicy(
  policy: PagerDutyEscalationPolicyObject,
): ObservedPagerDutyEscalationPolicy {
  return {
    id: policy.id,
    name: String(policy.name ?? ''),
    description: str(policy.description),
    numLoops: num(policy.num_loops),
    onCallHandoffNotifications: str(policy.on_call_handoff_notifications),
    rules: (policy.escalation_rules ?? []).map(rule => ({
      delayMinutes: num(rule.escalation_delay_in_minutes),
      targets: (rule.targets ?? [])
        .map(reference)
        .filter((r): r is ObservedPagerDutyReference => r !== null),
    })),
    teams: (policy.teams ?? [])
      .map(reference)
      .filter((r): r is ObservedPagerDutyReference => r !== null),
  };
}

/** Normalises a team as PagerDuty answers it. @public */
export function normalisePagerDutyTeam(
  team: PagerDutyTeamObject,
): ObservedPagerDutyTeam {
  return {
    id: team.id,
    name: String(team.name ?? ''),
    description: str(team.description),
  };
}

/** Normalises a schedule as PagerDuty answers it. @public */
export function normalisePagerDutySchedule(
  schedule: PagerDutyScheduleObject,
): ObservedPagerDutySchedule {
  return {
    id: schedule.id,
    name: String(schedule.name ?? ''),
    description: str(schedule.description),
    timeZone: str(schedule.time_zone),
    layers: (schedule.schedule_layers ?? []).map(layer => ({
      id: str(layer.id),
      name: str(layer.name),
      start: str(layer.start),
      end: str(layer.end),
      rotationVirtualStart: str(layer.rotation_virtual_start),
      rotationTurnLengthSeconds: num(layer.rotation_turn_length_seconds),
      userIds: (layer.users ?? [])
        .map(u => u?.user?.id)
        .filter((id): id is string => typeof id === 'string'),
      restrictions: (layer.restrictions ?? []).map(canonicalJson),
    })),
  };
}

async function unless404<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PagerDutyApiError && error.status === 404)
      return undefined;
    throw error;
  }
}

const nameOf = (body: Record<string, unknown>): string =>
  String(body.name ?? '');

/**
 * Reads what runs in PagerDuty for the service of a desired state:
 *
 * - the service by its `pagerduty.com/service-id` (`nthlayer.existingServiceId`) when the
 *   desired state has one, else by the desired service's name;
 * - the escalation policy, the team and each schedule by the desired state's names (the
 *   names by which NthLayer knows its objects); the escalation policy the service refers to
 *   is named in `service.escalationPolicy` (read by id when it is another one).
 *
 * A 404 or no object of the name makes that part `undefined`; any other failure (401,
 * unreachable, 5xx, several objects of one name) throws, so that an unreadable PagerDuty
 * is never reported as "no drift".
 *
 * @public
 */
export async function observePagerDuty(
  client: PagerDutyReader,
  desired: PagerDutyDesiredState,
): Promise<ObservedPagerDuty> {
  const existingId = desired.nthlayer.existingServiceId;
  const [serviceObject, policyObject, teamObject, scheduleObjects] =
    await Promise.all([
      existingId
        ? unless404(() => client.getService(existingId))
        : client.findServiceByName(nameOf(desired.service.service)),
      // Listed policies may be abridged: the policy is read again by id.
      client
        .findEscalationPolicyByName(
          nameOf(desired.escalation_policy.escalation_policy),
        )
        .then(listed =>
          listed
            ? unless404(() => client.getEscalationPolicy(listed.id))
            : undefined,
        ),
      client.findTeamByName(nameOf(desired.team.team)),
      Promise.all(
        desired.schedules.map(async body => {
          const listed = await client.findScheduleByName(nameOf(body.schedule));
          return listed
            ? unless404(() => client.getSchedule(listed.id))
            : undefined;
        }),
      ),
    ]);
  let service: ObservedPagerDutyService | undefined;
  if (serviceObject) {
    const ref = serviceObject.escalation_policy;
    const refId = typeof ref?.id === 'string' ? ref.id : undefined;
    let policyName: string | null | undefined;
    if (refId && policyObject && refId === policyObject.id)
      policyName = policyObject.name;
    else if (refId && !str(ref?.summary)) {
      policyName =
        (await unless404(() => client.getEscalationPolicy(refId)))?.name ??
        null;
    }
    service = normalisePagerDutyService(serviceObject, policyName);
  }
  return {
    service,
    escalationPolicy: policyObject
      ? normalisePagerDutyEscalationPolicy(policyObject)
      : undefined,
    team: teamObject ? normalisePagerDutyTeam(teamObject) : undefined,
    schedules: scheduleObjects.map(s =>
      s ? normalisePagerDutySchedule(s) : undefined,
    ),
  };
}
