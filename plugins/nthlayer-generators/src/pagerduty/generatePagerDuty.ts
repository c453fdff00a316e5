import { Finding, NthlayerService } from '@nthlayer/backstage-plugin-common';
import { GeneratorInput, GeneratorResult } from '../types';
import {
  PAGERDUTY_TIER_POLICIES,
  PagerDutyTierPolicy,
  ROTATION,
  SUPPORT_HOURS,
  isKnownTimeZone,
  pagerDutyPlaceholder,
  utcOffset,
} from './pagerDutyPolicy';

/**
 * The PagerDuty desired state of a service. `team`, `schedules[]`, `escalation_policy` and
 * `service` are request bodies of the PagerDuty REST API v2 (`POST /teams`,
 * `POST /schedules`, `POST /escalation_policies`, `POST /services` or
 * `PUT /services/:id`); `nthlayer` says how to apply them and what the placeholders stand
 * for.
 *
 * @public
 */
export interface PagerDutyDesiredState {
  nthlayer: {
    service: string;
    entityRef: string;
    tier: number;
    team: string;
    /** The `pagerduty.com/service-id` annotation, when the service already exists. */
    existingServiceId?: string;
    policy: PagerDutyTierPolicy & { timeZone: string };
    /** The requests in the order to send them; `body` names the key of this document. */
    requests: Array<{ method: 'POST' | 'PUT'; path: string; body: string }>;
    /** Every `nthlayer:<kind>:<key>` id in the bodies, and what replaces it. */
    placeholders: Record<string, string>;
  };
  team: { team: Record<string, unknown> };
  schedules: Array<{ schedule: Record<string, unknown> }>;
  escalation_policy: { escalation_policy: Record<string, unknown> };
  service: { service: Record<string, unknown> };
}

/** The zone of the service's first calendar SLO, else UTC. */
function serviceTimeZone(
  service: NthlayerService,
  findings: Finding[],
): string {
  const zone = service.slos.find(s => s.window.calendar)?.window.calendar
    ?.timeZone;
  if (!zone) return 'UTC';
  if (isKnownTimeZone(zone)) return zone;
  findings.push({
    severity: 'warning',
    annotation: 'nthlayer.dev/timezone',
    value: zone,
    accepted: 'an IANA time zone such as Europe/Berlin',
    message: `PagerDuty schedules and support hours were written in UTC instead of ${zone}.`,
  });
  return 'UTC';
}

function urgencyRule(policy: PagerDutyTierPolicy, timeZone: string) {
  if (policy.urgency !== 'support-hours') {
    return {
      incident_urgency_rule: { type: 'constant', urgency: policy.urgency },
    };
  }
  return {
    incident_urgency_rule: {
      type: 'use_support_hours',
      during_support_hours: { type: 'constant', urgency: 'high' },
      outside_support_hours: { type: 'constant', urgency: 'low' },
    },
    support_hours: {
      type: 'fixed_time_per_day',
      time_zone: timeZone,
      days_of_week: SUPPORT_HOURS.days,
      start_time: SUPPORT_HOURS.start,
      end_time: SUPPORT_HOURS.end,
    },
    // Low-urgency incidents still open when support hours begin become high urgency.
    scheduled_actions: [
      {
        type: 'urgency_change',
        at: { type: 'named_time', name: 'support_hours_start' },
        to_urgency: 'high',
      },
    ],
  };
}

/**
 * Builds the desired PagerDuty state of a service: its team, a primary and a secondary
 * on-call schedule (weekly rotation, placeholder users), an escalation policy with the
 * tier's delay, and the service with the tier's urgency. Pure: no I/O, no clock.
 *
 * @public
 */
export function buildPagerDutyState(input: GeneratorInput): {
  state: PagerDutyDesiredState;
  findings: Finding[];
} {
  const { service, team } = input;
  const findings: Finding[] = [];
  const policy = PAGERDUTY_TIER_POLICIES[service.tier];
  const timeZone = serviceTimeZone(service, findings);
  const placeholders: Record<string, string> = {};
  const placeholder = (
    kind: Parameters<typeof pagerDutyPlaceholder>[0],
    key: string,
    meaning: string,
  ) => {
    const id = pagerDutyPlaceholder(kind, key);
    placeholders[id] = meaning;
    return id;
  };

  const teamId = placeholder(
    'team',
    team,
    `id of the PagerDuty team "${team}" (created from \`team\`)`,
  );
  const users = Array.from({ length: ROTATION.users }, (_, i) =>
    placeholder(
      'user',
      `${team}:${i + 1}`,
      `PagerDuty user id of on-call member ${i + 1} of ${team}`,
    ),
  );
  const start = `${ROTATION.day}T${ROTATION.time}${utcOffset(
    timeZone,
    ROTATION.day,
    ROTATION.time,
  )}`;
  const schedule = (role: 'primary' | 'secondary', order: string[]) => ({
    schedule: {
      type: 'schedule',
      name: `${team} ${role} on-call`,
      description: `Weekly ${role} on-call rotation of ${team}, handing over on Mondays at 09:00 (managed by NthLayer).`,
      time_zone: timeZone,
      schedule_layers: [
        {
          name: `${role} weekly rotation`,
          start,
          rotation_virtual_start: start,
          rotation_turn_length_seconds: ROTATION.turnSeconds,
          users: order.map(id => ({ user: { id, type: 'user_reference' } })),
        },
      ],
    },
  });
  const scheduleIds = (['primary', 'secondary'] as const).map(role =>
    placeholder(
      'schedule',
      `${team}-${role}`,
      `id of the schedule "${team} ${role} on-call"`,
    ),
  );
  const policyName = `${service.name} (tier ${service.tier})`;
  const policyId = placeholder(
    'escalation_policy',
    service.name,
    `id of the escalation policy "${policyName}"`,
  );
  const existing = input.pagerduty?.serviceId;

  const state: PagerDutyDesiredState = {
    nthlayer: {
      service: service.name,
      entityRef: service.entityRef,
      tier: service.tier,
      team,
      ...(existing ? { existingServiceId: existing } : {}),
      policy: { ...policy, timeZone },
      requests: [
        { method: 'POST', path: '/teams', body: 'team' },
        { method: 'POST', path: '/schedules', body: 'schedules[0]' },
        { method: 'POST', path: '/schedules', body: 'schedules[1]' },
        {
          method: 'POST',
          path: '/escalation_policies',
          body: 'escalation_policy',
        },
        existing
          ? { method: 'PUT', path: `/services/${existing}`, body: 'service' }
          : { method: 'POST', path: '/services', body: 'service' },
      ],
      placeholders,
    },
    team: {
      team: {
        type: 'team',
        name: team,
        description: `Owners of ${service.entityRef} and the other services of ${team} (managed by NthLayer).`,
      },
    },
    schedules: [
      schedule('primary', users),
      schedule('secondary', [...users].reverse()),
    ],
    escalation_policy: {
      escalation_policy: {
        type: 'escalation_policy',
        name: policyName,
        description: `Tier ${service.tier}: unacknowledged incidents go from the primary to the secondary on-call of ${team} after ${policy.escalationDelayMinutes} minutes (managed by NthLayer).`,
        num_loops: policy.numLoops,
        on_call_handoff_notifications: 'if_has_services',
        escalation_rules: scheduleIds.map(id => ({
          escalation_delay_in_minutes: policy.escalationDelayMinutes,
          targets: [{ id, type: 'schedule_reference' }],
        })),
        teams: [{ id: teamId, type: 'team_reference' }],
      },
    },
    service: {
      service: {
        ...(existing ? { id: existing } : {}),
        type: 'service',
        name: service.name,
        description: `${service.entityRef}: tier ${service.tier} ${service.type} of ${team} (managed by NthLayer).`,
        status: 'active',
        escalation_policy: {
          id: policyId,
          type: 'escalation_policy_reference',
        },
        ...urgencyRule(policy, timeZone),
      },
    },
  };
  return { state, findings };
}

/**
 * Generates `pagerduty/<service>.json`, the desired PagerDuty state of a service as
 * PagerDuty REST API request bodies (see {@link PagerDutyDesiredState}).
 *
 * @public
 */
export function generatePagerDuty(input: GeneratorInput): GeneratorResult {
  const { state, findings } = buildPagerDutyState(input);
  return {
    artifacts: [
      {
        id: 'pagerduty',
        kind: 'pagerduty',
        filename: `pagerduty/${input.service.name}.json`,
        mediaType: 'application/json',
        description:
          'PagerDuty desired state: team, on-call schedules, escalation policy and service with the urgency of its tier, as REST API request bodies.',
        content: `${JSON.stringify(state, null, 2)}\n`,
      },
    ],
    findings,
  };
}
