import { applyPagerDutyPlan, planPagerDutyApply } from './applyPagerDuty';
import { PagerDutyApiError, PagerDutyClient } from './client';
import { PagerDutyReader, observePagerDuty } from './observePagerDuty';
import { PagerDutyFake } from './testing/pagerDutyFake';
import { desiredPagerDuty } from './testing/pagerDutyStates';

describe('observePagerDuty', () => {
  let fake: PagerDutyFake;
  let client: PagerDutyClient;
  beforeEach(async () => {
    fake = await PagerDutyFake.start();
    client = new PagerDutyClient({
      token: fake.token,
      baseUrl: fake.baseUrl,
      sleep: async () => {},
    });
  });
  afterEach(() => fake.close());

  it('reads nothing where PagerDuty has nothing', async () => {
    expect(await observePagerDuty(client, desiredPagerDuty(1))).toEqual({
      service: undefined,
      escalationPolicy: undefined,
      team: undefined,
      schedules: [undefined, undefined],
    });
  });

  it('normalises the service, its policy, the team and the schedules', async () => {
    const ada = fake.addUser('Ada');
    const grace = fake.addUser('Grace');
    const desired = desiredPagerDuty(2);
    const empty = await observePagerDuty(client, desired);
    const { steps } = await applyPagerDutyPlan(
      client,
      desired,
      planPagerDutyApply(desired, empty),
      {
        userIds: {
          'nthlayer:user:team-payments:1': ada,
          'nthlayer:user:team-payments:2': grace,
        },
      },
    );
    const [team, primary, secondary, policy, service] = steps.map(s => s.id);

    const observed = await observePagerDuty(client, desired);
    expect(observed.team).toEqual({
      id: team,
      name: 'team-payments',
      description:
        'Owners of component:default/checkout-api and the other services of team-payments (managed by NthLayer).',
    });
    expect(observed.escalationPolicy).toEqual({
      id: policy,
      name: 'checkout-api (tier 2)',
      description:
        'Tier 2: unacknowledged incidents go from the primary to the secondary on-call of team-payments after 15 minutes (managed by NthLayer).',
      numLoops: 1,
      onCallHandoffNotifications: 'if_has_services',
      rules: [
        {
          delayMinutes: 15,
          targets: [
            {
              type: 'schedule',
              id: primary,
              name: 'team-payments primary on-call',
            },
          ],
        },
        {
          delayMinutes: 15,
          targets: [
            {
              type: 'schedule',
              id: secondary,
              name: 'team-payments secondary on-call',
            },
          ],
        },
      ],
      teams: [{ type: 'team', id: team, name: 'team-payments' }],
    });
    expect(observed.service).toEqual({
      id: service,
      name: 'checkout-api',
      description:
        'component:default/checkout-api: tier 2 api of team-payments (managed by NthLayer).',
      status: 'active',
      escalationPolicy: {
        type: 'escalation_policy',
        id: policy,
        name: 'checkout-api (tier 2)',
      },
      urgencyRule: {
        type: 'use_support_hours',
        urgency: null,
        duringSupportHours: { type: 'constant', urgency: 'high' },
        outsideSupportHours: { type: 'constant', urgency: 'low' },
      },
      supportHours: {
        type: 'fixed_time_per_day',
        timeZone: 'UTC',
        daysOfWeek: [1, 2, 3, 4, 5],
        startTime: '09:00:00',
        endTime: '17:00:00',
      },
      scheduledActions: ['urgency_change at support_hours_start to high'],
      acknowledgementTimeout: null,
      autoResolveTimeout: null,
    });
    expect(
      observed.schedules.map(s => [
        s?.id,
        s?.name,
        s?.timeZone,
        s?.layers.map(l => [l.name, l.rotationTurnLengthSeconds, l.userIds]),
      ]),
    ).toEqual([
      [
        primary,
        'team-payments primary on-call',
        'UTC',
        [['primary weekly rotation', 604800, [ada, grace]]],
      ],
      [
        secondary,
        'team-payments secondary on-call',
        'UTC',
        [['secondary weekly rotation', 604800, [grace, ada]]],
      ],
    ]);
  });

  it('reads the annotated service by id, and an unknown id as missing', async () => {
    const observed = await observePagerDuty(
      client,
      desiredPagerDuty(1, { serviceId: 'PGONE00' }),
    );
    expect(observed.service).toBeUndefined();
    expect(
      fake.requests
        .filter(r => r.path.startsWith('/services'))
        .map(r => `${r.method} ${r.path} ${r.status}`),
    ).toEqual(['GET /services/PGONE00 404']);
  });

  it('throws when PagerDuty cannot be read, rather than report nothing', async () => {
    const wrong = new PagerDutyClient({
      token: 'not-the-token',
      baseUrl: fake.baseUrl,
    });
    const error = await observePagerDuty(wrong, desiredPagerDuty(1)).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(PagerDutyApiError);
    expect(error.status).toBe(401);
  });

  it('names the policy a service refers to when PagerDuty gave no summary', async () => {
    const asked: string[] = [];
    const reader: PagerDutyReader = {
      getService: async () => {
        throw new Error('not used');
      },
      findServiceByName: async name => ({
        id: 'PSVC',
        type: 'service',
        name,
        escalation_policy: {
          id: 'PLEGACY',
          type: 'escalation_policy_reference',
        },
      }),
      getEscalationPolicy: async id => {
        asked.push(id);
        return {
          id,
          type: 'escalation_policy',
          name: 'Legacy',
          escalation_rules: [],
        };
      },
      findEscalationPolicyByName: async () => undefined,
      findTeamByName: async () => undefined,
      findScheduleByName: async () => undefined,
      getSchedule: async () => {
        throw new Error('not used');
      },
    };
    const observed = await observePagerDuty(reader, desiredPagerDuty(1));
    expect(observed.service?.escalationPolicy).toEqual({
      type: 'escalation_policy',
      id: 'PLEGACY',
      name: 'Legacy',
    });
    expect(asked).toEqual(['PLEGACY']);
  });
});
