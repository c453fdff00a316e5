import { DriftFinding } from '@nthlayer/backstage-plugin-common';
import { diffPagerDuty } from './diffPagerDuty';
import {
  ObservedPagerDuty,
  normalisePagerDutyEscalationPolicy,
  normalisePagerDutySchedule,
  normalisePagerDutyService,
} from './observePagerDuty';
import { desiredPagerDuty, matchingObserved } from './testing/pagerDutyStates';

/** The findings, without their messages (checked once below). */
const brief = (findings: DriftFinding[]) =>
  findings.map(({ message: _message, target, ...rest }) => {
    expect(target).toBe('pagerduty');
    return rest;
  });

function changed(
  edit: (o: ObservedPagerDuty) => void,
  tier: 1 | 2 | 3 = 1,
  existing?: string,
) {
  const desired = desiredPagerDuty(
    tier,
    existing ? { serviceId: existing } : undefined,
  );
  const observed = matchingObserved(desired);
  edit(observed);
  return brief(diffPagerDuty(desired, observed));
}

describe('diffPagerDuty', () => {
  it.each([1, 2, 3] as const)(
    'finds nothing when PagerDuty matches the desired state (tier %s)',
    tier => {
      const desired = desiredPagerDuty(tier);
      expect(diffPagerDuty(desired, matchingObserved(desired))).toEqual([]);
    },
  );

  it('finds nothing when only server-assigned fields differ', () => {
    const desired = desiredPagerDuty(2);
    const d = desired as any;
    const links = (id: string) => ({
      self: `https://api.pagerduty.com/x/${id}`,
      html_url: `https://acme.pagerduty.com/x/${id}`,
    });
    const observed = matchingObserved(desired);
    const policy = normalisePagerDutyEscalationPolicy({
      id: 'PPOLICY',
      type: 'escalation_policy',
      summary: 'a summary PagerDuty wrote',
      ...links('PPOLICY'),
      name: d.escalation_policy.escalation_policy.name,
      description: d.escalation_policy.escalation_policy.description,
      num_loops: 1,
      on_call_handoff_notifications: 'if_has_services',
      escalation_rules: [1, 2].map(i => ({
        id: `PRULE0${i}`,
        escalation_delay_in_minutes: 15,
        targets: [
          {
            id: `PSCHED${i}`,
            type: 'schedule_reference',
            summary: `old name ${i}`,
            ...links(`PSCHED${i}`),
          },
        ],
      })),
      teams: [
        {
          id: 'PTEAM01',
          type: 'team_reference',
          summary: 'Payments (renamed)',
        },
      ],
      services: [{ id: 'PSERVICE', type: 'service_reference' }],
      created_at: '2020-01-01T00:00:00Z',
    });
    const service = normalisePagerDutyService({
      id: 'PSERVICE',
      type: 'service',
      summary: 'checkout',
      ...links('PSERVICE'),
      name: 'checkout-api',
      description: d.service.service.description,
      // With open triggered incidents PagerDuty reports "critical": still enabled.
      status: 'critical',
      created_at: '2021-05-05T05:05:05Z',
      last_incident_timestamp: '2026-12-01T00:00:00Z',
      escalation_policy: {
        id: 'PPOLICY',
        type: 'escalation_policy_reference',
        summary: 'stale summary',
      },
      incident_urgency_rule: d.service.service.incident_urgency_rule,
      support_hours: {
        ...d.service.service.support_hours,
        days_of_week: [5, 4, 3, 2, 1],
      },
      scheduled_actions: d.service.service.scheduled_actions,
      integrations: [
        {
          id: 'PINT',
          type: 'generic_events_api_inbound_integration_reference',
        },
      ],
      teams: [{ id: 'PTEAM01', type: 'team_reference' }],
      alert_creation: 'create_alerts_and_incidents',
      acknowledgement_timeout: 1800,
      auto_resolve_timeout: null,
    });
    const schedules = d.schedules.map((s: any, i: number) =>
      normalisePagerDutySchedule({
        ...s.schedule,
        id: `PSCHED${i + 1}`,
        ...links(`PSCHED${i + 1}`),
        summary: s.schedule.name,
        schedule_layers: s.schedule.schedule_layers.map((l: any) => ({
          ...l,
          id: 'PLAYER1',
          // PagerDuty moved the start when the layer was edited, and wrote the rotation in UTC.
          start: '2026-11-30T12:00:00Z',
          rotation_virtual_start: '2024-01-01T09:00:00Z',
          users: [
            {
              user: { id: 'PREALUSER', type: 'user_reference', summary: 'Ada' },
            },
          ],
          rendered_schedule_entries: [],
        })),
        users: [{ id: 'PREALUSER', type: 'user_reference' }],
        final_schedule: {
          name: 'Final Schedule',
          rendered_schedule_entries: [],
        },
      }),
    );
    expect(
      diffPagerDuty(desired, {
        ...observed,
        escalationPolicy: policy,
        service,
        schedules,
      }),
    ).toEqual([]);
    // The same documents, once with a real difference, do drift: the comparison is live.
    expect(
      diffPagerDuty(desired, {
        ...observed,
        escalationPolicy: { ...policy, numLoops: 3 },
        service,
        schedules,
      }).map(f => f.object),
    ).toEqual(['escalation_policy.num_loops']);
  });

  it('reports a missing service as critical, and nothing about its fields', () => {
    const findings = diffPagerDuty(desiredPagerDuty(1), {
      ...matchingObserved(desiredPagerDuty(1)),
      service: undefined,
    });
    expect(findings).toEqual([
      {
        target: 'pagerduty',
        severity: 'critical',
        kind: 'missing',
        object: 'service',
        expected: 'checkout-api',
        message:
          'PagerDuty has no service named "checkout-api"; apply the PagerDuty desired state of checkout-api to create it.',
      },
    ]);
  });

  it('reports a missing escalation policy as critical, and the service referring to another one', () => {
    expect(
      changed(o => {
        o.escalationPolicy = undefined;
        o.service!.escalationPolicy = {
          type: 'escalation_policy',
          id: 'PLEGACY',
          name: 'Legacy',
        };
      }),
    ).toEqual([
      {
        severity: 'critical',
        kind: 'missing',
        object: 'escalation_policy',
        expected: 'checkout-api (tier 1)',
      },
      {
        severity: 'warning',
        kind: 'changed',
        object: 'service.escalation_policy',
        field: 'escalation_policy',
        expected: 'escalation policy "checkout-api (tier 1)"',
        actual: 'escalation policy "Legacy" (PLEGACY)',
      },
    ]);
  });

  it('reports a missing team or schedule as a warning', () => {
    // The policy still refers to the old team's id, which is no longer NthLayer's.
    expect(changed(o => (o.team = undefined))).toEqual([
      {
        severity: 'warning',
        kind: 'missing',
        object: 'team',
        expected: 'team-payments',
      },
      {
        severity: 'info',
        kind: 'changed',
        object: 'escalation_policy.teams',
        field: 'teams',
        expected: 'team "team-payments"',
        actual: 'team "team-payments" (PTEAM01)',
      },
    ]);
    // The policy still targets the old schedule's id, which is no longer NthLayer's.
    expect(changed(o => (o.schedules[1] = undefined))).toEqual([
      {
        severity: 'warning',
        kind: 'missing',
        object: 'schedules[1]',
        expected: 'team-payments secondary on-call',
      },
      {
        severity: 'warning',
        kind: 'changed',
        object: 'escalation_policy.escalation_rules[1].targets',
        field: 'escalation_rules[1].targets',
        expected: 'schedule "team-payments secondary on-call"',
        actual: 'schedule "team-payments secondary on-call" (PSCHED2)',
      },
    ]);
  });

  it('reports a changed escalation delay, target, loop count or rule count as a warning', () => {
    expect(
      changed(o => (o.escalationPolicy!.rules[0].delayMinutes = 30)),
    ).toEqual([
      {
        severity: 'warning',
        kind: 'changed',
        object:
          'escalation_policy.escalation_rules[0].escalation_delay_in_minutes',
        field: 'escalation_rules[0].escalation_delay_in_minutes',
        expected: '5',
        actual: '30',
      },
    ]);
    expect(
      changed(o => {
        o.escalationPolicy!.rules[1].targets = [
          { type: 'user', id: 'PBOSS01', name: 'The Boss' },
        ];
      }),
    ).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'escalation_policy.escalation_rules[1].targets',
        expected: 'schedule "team-payments secondary on-call"',
        actual: 'user "The Boss" (PBOSS01)',
      }),
    ]);
    expect(changed(o => (o.escalationPolicy!.numLoops = 0))).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'escalation_policy.num_loops',
        expected: '2',
        actual: '0',
      }),
    ]);
    expect(changed(o => o.escalationPolicy!.rules.pop())).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'escalation_policy.escalation_rules.length',
        expected: '2',
        actual: '1',
      }),
    ]);
  });

  it('reports changed urgency, status, support hours and scheduled actions as warnings', () => {
    expect(changed(o => (o.service!.urgencyRule.urgency = 'low'))).toEqual([
      {
        severity: 'warning',
        kind: 'changed',
        object: 'service.incident_urgency_rule.urgency',
        field: 'incident_urgency_rule.urgency',
        expected: 'high',
        actual: 'low',
      },
    ]);
    expect(changed(o => (o.service!.status = 'disabled'))).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'service.status',
        expected: 'active',
        actual: 'disabled',
      }),
    ]);
    expect(
      changed(o => {
        o.service!.urgencyRule.outsideSupportHours = {
          type: 'constant',
          urgency: 'high',
        };
        o.service!.supportHours!.timeZone = 'America/New_York';
        o.service!.scheduledActions = [];
      }, 2),
    ).toEqual([
      expect.objectContaining({
        object: 'service.incident_urgency_rule.outside_support_hours.urgency',
        expected: 'low',
        actual: 'high',
        severity: 'warning',
      }),
      expect.objectContaining({
        object: 'service.support_hours.time_zone',
        expected: 'UTC',
        actual: 'America/New_York',
      }),
      expect.objectContaining({
        object: 'service.scheduled_actions',
        expected: 'urgency_change at support_hours_start to high',
        actual: '(none)',
        severity: 'warning',
      }),
    ]);
    // A constant urgency rule where the tier wants support hours.
    expect(
      changed(o => {
        o.service!.urgencyRule = {
          type: 'constant',
          urgency: 'high',
          duringSupportHours: null,
          outsideSupportHours: null,
        };
      }, 2).map(f => [f.object, f.expected, f.actual]),
    ).toEqual([
      ['service.incident_urgency_rule.type', 'use_support_hours', 'constant'],
      [
        'service.incident_urgency_rule.during_support_hours.type',
        'constant',
        '(none)',
      ],
      [
        'service.incident_urgency_rule.during_support_hours.urgency',
        'high',
        '(none)',
      ],
      [
        'service.incident_urgency_rule.outside_support_hours.type',
        'constant',
        '(none)',
      ],
      [
        'service.incident_urgency_rule.outside_support_hours.urgency',
        'low',
        '(none)',
      ],
    ]);
  });

  it('reports a changed rotation as a warning, but never the placeholder users', () => {
    expect(
      changed(o => {
        o.schedules[0]!.timeZone = 'Europe/Berlin';
        o.schedules[0]!.layers[0].rotationTurnLengthSeconds = 86400;
        o.schedules[0]!.layers[0].userIds = ['PSOMEONE', 'PELSE01', 'PTHIRD1'];
      }),
    ).toEqual([
      expect.objectContaining({
        object: 'schedules[0].time_zone',
        expected: 'UTC',
        actual: 'Europe/Berlin',
        severity: 'warning',
      }),
      expect.objectContaining({
        object: 'schedules[0].schedule_layers[0].rotation_turn_length_seconds',
        expected: '604800',
        actual: '86400',
        severity: 'warning',
      }),
    ]);
    expect(
      changed(
        o =>
          (o.schedules[1]!.layers[0].rotationVirtualStart =
            '2024-01-02T09:00:00Z'),
      ).map(f => f.object),
    ).toEqual(['schedules[1].schedule_layers[0].rotation_virtual_start']);
  });

  it('reports names, descriptions and policy teams as info', () => {
    expect(changed(o => (o.service!.description = 'hand-written'))).toEqual([
      {
        severity: 'info',
        kind: 'changed',
        object: 'service.description',
        field: 'description',
        expected:
          'component:default/checkout-api: tier 1 api of team-payments (managed by NthLayer).',
        actual: 'hand-written',
      },
    ]);
    // Found by its pagerduty.com/service-id, the service has another name.
    expect(
      changed(o => (o.service!.name = 'Checkout API'), 1, 'PABC123'),
    ).toEqual([
      expect.objectContaining({
        severity: 'info',
        object: 'service.name',
        expected: 'checkout-api',
        actual: 'Checkout API',
      }),
    ]);
    expect(changed(o => (o.escalationPolicy!.teams = []))).toEqual([
      expect.objectContaining({
        severity: 'info',
        object: 'escalation_policy.teams',
        expected: 'team "team-payments"',
        actual: '(none)',
      }),
    ]);
    expect(changed(o => (o.schedules[0]!.description = null))).toEqual([
      expect.objectContaining({
        severity: 'info',
        object: 'schedules[0].description',
        actual: '(none)',
      }),
    ]);
  });

  it('explains each finding in one sentence', () => {
    const desired = desiredPagerDuty(1);
    const observed = matchingObserved(desired);
    observed.escalationPolicy!.rules[0].delayMinutes = 30;
    expect(diffPagerDuty(desired, observed)[0].message).toBe(
      "PagerDuty's escalation_policy.escalation_rules[0].escalation_delay_in_minutes is 30; NthLayer generates 5 for checkout-api (tier 1).",
    );
  });
});
