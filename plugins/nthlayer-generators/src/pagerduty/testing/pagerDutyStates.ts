/** Desired and observed PagerDuty states for tests (test helper only: not exported from the package). */
import { ServiceTier } from '@nthlayer/backstage-plugin-common';
import { GeneratorInput } from '../../types';
import {
  PagerDutyDesiredState,
  buildPagerDutyState,
} from '../generatePagerDuty';
import { ObservedPagerDuty } from '../observePagerDuty';

/** The desired state of checkout-api of team-payments. */
export function desiredPagerDuty(
  tier: ServiceTier = 1,
  pagerduty?: GeneratorInput['pagerduty'],
): PagerDutyDesiredState {
  return buildPagerDutyState({
    service: {
      entityRef: 'component:default/checkout-api',
      name: 'checkout-api',
      tier,
      type: 'api',
      dependsOn: [],
      selector: 'service="checkout-api"',
      defaultSelector: true,
      prometheusInstance: 'default',
      slos: [
        {
          name: 'availability',
          kind: 'availability',
          targetPercent: 99.9,
          window: { text: '30d', minutes: 43200 },
          source: 'tier-default',
        },
      ],
    },
    team: 'team-payments',
    dependencies: [],
    pagerduty,
  }).state;
}

/**
 * What PagerDuty holds when the desired state was applied by hand: ids PTEAM01, PSCHED1,
 * PSCHED2, PPOLICY, PSERVICE (or the annotated id), the schedules' users PUSER01 and PUSER02.
 */
export function matchingObserved(
  desired: PagerDutyDesiredState,
): ObservedPagerDuty {
  const d = JSON.parse(JSON.stringify(desired)) as any;
  const service = d.service.service;
  const policy = d.escalation_policy.escalation_policy;
  const rule = service.incident_urgency_rule;
  const urgency = (u: any) =>
    u ? { type: u.type ?? null, urgency: u.urgency ?? null } : null;
  return {
    team: {
      id: 'PTEAM01',
      name: d.team.team.name,
      description: 'edited by hand in PagerDuty',
    },
    schedules: d.schedules.map((s: any, i: number) => ({
      id: `PSCHED${i + 1}`,
      name: s.schedule.name,
      description: s.schedule.description,
      timeZone: s.schedule.time_zone,
      layers: s.schedule.schedule_layers.map((l: any, j: number) => ({
        id: `PLAYER${i}${j}`,
        name: l.name,
        start: l.start,
        end: null,
        rotationVirtualStart: l.rotation_virtual_start,
        rotationTurnLengthSeconds: l.rotation_turn_length_seconds,
        userIds: i === 0 ? ['PUSER01', 'PUSER02'] : ['PUSER02', 'PUSER01'],
        restrictions: [],
      })),
    })),
    escalationPolicy: {
      id: 'PPOLICY',
      name: policy.name,
      description: policy.description,
      numLoops: policy.num_loops,
      onCallHandoffNotifications: policy.on_call_handoff_notifications,
      rules: policy.escalation_rules.map((r: any, i: number) => ({
        delayMinutes: r.escalation_delay_in_minutes,
        targets: [
          {
            type: 'schedule',
            id: `PSCHED${i + 1}`,
            name: d.schedules[i].schedule.name,
          },
        ],
      })),
      teams: [{ type: 'team', id: 'PTEAM01', name: d.team.team.name }],
    },
    service: {
      id: desired.nthlayer.existingServiceId ?? 'PSERVICE',
      name: service.name,
      description: service.description,
      status: 'active',
      escalationPolicy: {
        type: 'escalation_policy',
        id: 'PPOLICY',
        name: policy.name,
      },
      urgencyRule: {
        type: rule.type ?? null,
        urgency: rule.urgency ?? null,
        duringSupportHours: urgency(rule.during_support_hours),
        outsideSupportHours: urgency(rule.outside_support_hours),
      },
      supportHours: service.support_hours
        ? {
            type: service.support_hours.type,
            timeZone: service.support_hours.time_zone,
            daysOfWeek: service.support_hours.days_of_week,
            startTime: service.support_hours.start_time,
            endTime: service.support_hours.end_time,
          }
        : null,
      scheduledActions: (service.scheduled_actions ?? []).map(
        (a: any) => `${a.type} at ${a.at.name} to ${a.to_urgency}`,
      ),
      acknowledgementTimeout: null,
      autoResolveTimeout: null,
    },
  };
}
