import {
  PagerDutyApplyError,
  applyPagerDutyPlan,
  planPagerDutyApply,
} from './applyPagerDuty';
import { PagerDutyClient } from './client';
import { diffPagerDuty } from './diffPagerDuty';
import { PagerDutyDesiredState } from './generatePagerDuty';
import { observePagerDuty } from './observePagerDuty';
import {
  PagerDutyRequestKind,
  pagerDutyRequestBodies,
} from './pagerDutyContract';
import { PagerDutyFake } from './testing/pagerDutyFake';
import { desiredPagerDuty } from './testing/pagerDutyStates';

describe('planPagerDutyApply and applyPagerDutyPlan against the PagerDuty fake', () => {
  let fake: PagerDutyFake;
  let client: PagerDutyClient;
  let userIds: Record<string, string>;
  let ada: string;
  let grace: string;

  beforeEach(async () => {
    fake = await PagerDutyFake.start();
    client = new PagerDutyClient({
      token: fake.token,
      baseUrl: fake.baseUrl,
      sleep: async () => {},
    });
    ada = fake.addUser('Ada');
    grace = fake.addUser('Grace');
    userIds = {
      'nthlayer:user:team-payments:1': ada,
      'nthlayer:user:team-payments:2': grace,
    };
  });
  afterEach(() => fake.close());

  const plan = async (desired: PagerDutyDesiredState) =>
    planPagerDutyApply(desired, await observePagerDuty(client, desired));
  const actions = (p: { steps: Array<{ resource: string; action: string }> }) =>
    p.steps.map(s => `${s.resource} ${s.action}`);
  const writeCount = () => fake.writes().length;

  /** Objects someone else made, which NthLayer must leave alone. */
  async function seedOthers() {
    const team = await client.createTeam({
      team: { type: 'team', name: 'team-search' },
    });
    const policy = await client.createEscalationPolicy({
      escalation_policy: {
        type: 'escalation_policy',
        name: 'search (tier 2)',
        escalation_rules: [
          {
            escalation_delay_in_minutes: 10,
            targets: [{ id: ada, type: 'user_reference' }],
          },
        ],
      },
    });
    const service = await client.createService({
      service: {
        type: 'service',
        name: 'search-api',
        escalation_policy: {
          id: policy.id,
          type: 'escalation_policy_reference',
        },
      },
    });
    return { team: team.id, policy: policy.id, service: service.id };
  }

  it('creates 5 objects of 4 kinds, then plans nothing and writes nothing', async () => {
    const others = await seedOthers();
    const seeded = writeCount();
    const desired = desiredPagerDuty(1);

    const first = await plan(desired);
    expect(actions(first)).toEqual([
      'team create',
      'schedule create',
      'schedule create',
      'escalation_policy create',
      'service create',
    ]);
    const applied = await applyPagerDutyPlan(client, desired, first, {
      userIds,
    });
    expect(applied.requests).toEqual([
      { method: 'POST', path: '/teams' },
      { method: 'POST', path: '/schedules' },
      { method: 'POST', path: '/schedules' },
      { method: 'POST', path: '/escalation_policies' },
      { method: 'POST', path: '/services' },
    ]);
    expect(new Set(applied.steps.map(s => s.resource)).size).toBe(4);
    expect(
      fake
        .writes()
        .slice(seeded)
        .map(r => `${r.method} ${r.path} ${r.status}`),
    ).toEqual([
      'POST /teams 201',
      'POST /schedules 201',
      'POST /schedules 201',
      'POST /escalation_policies 201',
      'POST /services 201',
    ]);

    // The references are the ids PagerDuty assigned.
    const [teamId, primaryId, secondaryId, policyId, serviceId] =
      applied.steps.map(s => s.id);
    const policy = fake.state.escalation_policies.get(policyId)!;
    expect(
      policy.escalation_rules.map((r: any) => [
        r.escalation_delay_in_minutes,
        r.targets[0].id,
      ]),
    ).toEqual([
      [5, primaryId],
      [5, secondaryId],
    ]);
    expect(policy.teams).toEqual([{ id: teamId, type: 'team_reference' }]);
    expect(fake.state.services.get(serviceId)!.escalation_policy.id).toBe(
      policyId,
    );
    expect(
      fake.state.schedules
        .get(primaryId)!
        .schedule_layers[0].users.map((u: any) => u.user.id),
    ).toEqual([ada, grace]);
    expect(
      fake.state.schedules
        .get(secondaryId)!
        .schedule_layers[0].users.map((u: any) => u.user.id),
    ).toEqual([grace, ada]);

    // Every body sent passes the contract's schemas.
    const kinds: Record<string, PagerDutyRequestKind> = {
      'POST /teams': 'team',
      'POST /schedules': 'schedule',
      'POST /escalation_policies': 'escalationPolicy',
      'POST /services': 'createService',
    };
    for (const r of fake.writes().slice(seeded)) {
      expect(
        pagerDutyRequestBodies[kinds[`${r.method} ${r.path}`]].safeParse(r.body)
          .success,
      ).toBe(true);
    }

    const observed = await observePagerDuty(client, desired);
    expect(diffPagerDuty(desired, observed)).toEqual([]);
    const second = planPagerDutyApply(desired, observed);
    expect(actions(second)).toEqual([
      'team unchanged',
      'schedule unchanged',
      'schedule unchanged',
      'escalation_policy unchanged',
      'service unchanged',
    ]);
    expect(second.steps.map(s => s.id)).toEqual([
      teamId,
      primaryId,
      secondaryId,
      policyId,
      serviceId,
    ]);
    const before = writeCount();
    const again = await applyPagerDutyPlan(client, desired, second, {
      userIds,
    });
    expect(writeCount()).toBe(before);
    expect(again.requests).toEqual([]);
    expect(again.steps.map(s => s.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);

    // Nothing else was touched.
    expect(fake.state.teams.get(others.team)!.name).toBe('team-search');
    expect(
      fake.state.escalation_policies.get(others.policy)!.escalation_rules[0]
        .escalation_delay_in_minutes,
    ).toBe(10);
    expect(fake.state.services.get(others.service)!.escalation_policy.id).toBe(
      others.policy,
    );
    expect(fake.requests.filter(r => r.method === 'DELETE')).toEqual([]);
  });

  it('puts back a hand-changed escalation delay and deletes nothing', async () => {
    const others = await seedOthers();
    const desired = desiredPagerDuty(2);
    const created = await applyPagerDutyPlan(
      client,
      desired,
      await plan(desired),
      { userIds },
    );
    const policyId = created.steps[3].id;
    const stored = fake.state.escalation_policies.get(policyId)!;
    stored.escalation_rules[0].escalation_delay_in_minutes = 30;

    const drift = diffPagerDuty(
      desired,
      await observePagerDuty(client, desired),
    );
    expect(
      drift.map(f => [f.severity, f.object, f.expected, f.actual]),
    ).toEqual([
      [
        'warning',
        'escalation_policy.escalation_rules[0].escalation_delay_in_minutes',
        '15',
        '30',
      ],
    ]);
    const fix = await plan(desired);
    expect(fix.steps[3]).toEqual({
      resource: 'escalation_policy',
      action: 'update',
      name: 'checkout-api (tier 2)',
      id: policyId,
      changes: [
        {
          field: 'escalation_rules[0].escalation_delay_in_minutes',
          from: '30',
          to: '15',
        },
      ],
    });
    expect(actions(fix).filter(a => !a.endsWith('unchanged'))).toEqual([
      'escalation_policy update',
    ]);

    const before = writeCount();
    const applied = await applyPagerDutyPlan(client, desired, fix, { userIds });
    expect(applied.requests).toEqual([
      { method: 'PUT', path: `/escalation_policies/${policyId}` },
    ]);
    expect(
      fake
        .writes()
        .slice(before)
        .map(r => `${r.method} ${r.path} ${r.status}`),
    ).toEqual([`PUT /escalation_policies/${policyId} 200`]);
    expect(
      pagerDutyRequestBodies.escalationPolicy.safeParse(
        fake.writes()[before].body,
      ).success,
    ).toBe(true);
    expect(
      fake.state.escalation_policies
        .get(policyId)!
        .escalation_rules.map((r: any) => r.escalation_delay_in_minutes),
    ).toEqual([15, 15]);
    expect(
      actions(await plan(desired)).every(a => a.endsWith('unchanged')),
    ).toBe(true);

    // The extra objects survive; nothing was deleted.
    expect(fake.state.teams.size).toBe(2);
    expect(fake.state.escalation_policies.size).toBe(2);
    expect(fake.state.services.size).toBe(2);
    expect(fake.state.escalation_policies.has(others.policy)).toBe(true);
    expect(fake.requests.some(r => r.method === 'DELETE')).toBe(false);
  });

  it('keeps the people on call when it fixes a schedule', async () => {
    const desired = desiredPagerDuty(1);
    const created = await applyPagerDutyPlan(
      client,
      desired,
      await plan(desired),
      { userIds },
    );
    const primaryId = created.steps[1].id;
    const stored = fake.state.schedules.get(primaryId)!;
    const layerId = stored.schedule_layers[0].id;
    const linus = fake.addUser('Linus');
    // The team put someone else on the rotation (not drift: the desired users are placeholders)
    // and someone changed the time zone (drift).
    stored.schedule_layers[0].users = [
      { user: { id: linus, type: 'user_reference' } },
    ];
    stored.time_zone = 'Asia/Tokyo';

    const fix = await plan(desired);
    expect(fix.steps[1]).toMatchObject({
      action: 'update',
      changes: [{ field: 'time_zone', from: 'Asia/Tokyo', to: 'UTC' }],
    });
    await applyPagerDutyPlan(client, desired, fix, { userIds });
    const after = fake.state.schedules.get(primaryId)!;
    expect(after.time_zone).toBe('UTC');
    expect(after.schedule_layers).toHaveLength(1);
    expect(after.schedule_layers[0].id).toBe(layerId);
    expect(after.schedule_layers[0].users.map((u: any) => u.user.id)).toEqual([
      linus,
    ]);
    expect(
      actions(await plan(desired)).every(a => a.endsWith('unchanged')),
    ).toBe(true);
  });

  it('moves a service to the policy of its new tier, and keeps the old policy', async () => {
    const tier1 = desiredPagerDuty(1);
    const created = await applyPagerDutyPlan(client, tier1, await plan(tier1), {
      userIds,
    });
    const [, , , oldPolicy, serviceId] = created.steps.map(s => s.id);

    const tier2 = desiredPagerDuty(2);
    const next = await plan(tier2);
    expect(actions(next)).toEqual([
      'team unchanged',
      'schedule unchanged',
      'schedule unchanged',
      'escalation_policy create',
      'service update',
    ]);
    expect(next.steps[4].changes.map(c => c.field)).toEqual([
      'description',
      'escalation_policy',
      'incident_urgency_rule.type',
      'incident_urgency_rule.during_support_hours.type',
      'incident_urgency_rule.during_support_hours.urgency',
      'incident_urgency_rule.outside_support_hours.type',
      'incident_urgency_rule.outside_support_hours.urgency',
      'support_hours.type',
      'support_hours.time_zone',
      'support_hours.days_of_week',
      'support_hours.start_time',
      'support_hours.end_time',
      'scheduled_actions',
    ]);
    const applied = await applyPagerDutyPlan(client, tier2, next, { userIds });
    const newPolicy = applied.steps[3].id;
    expect(newPolicy).not.toBe(oldPolicy);
    expect(applied.requests).toEqual([
      { method: 'POST', path: '/escalation_policies' },
      { method: 'PUT', path: `/services/${serviceId}` },
    ]);
    // `status` is not sent when it does not change.
    expect((fake.writes().at(-1)!.body as any).service.status).toBeUndefined();
    expect(fake.state.services.get(serviceId)!.escalation_policy.id).toBe(
      newPolicy,
    );
    expect(
      fake.state.services.get(serviceId)!.support_hours.days_of_week,
    ).toEqual([1, 2, 3, 4, 5]);
    expect(fake.state.escalation_policies.get(oldPolicy)!.name).toBe(
      'checkout-api (tier 1)',
    );
    expect(actions(await plan(tier2)).every(a => a.endsWith('unchanged'))).toBe(
      true,
    );
  });

  it('updates the service of the pagerduty.com/service-id annotation, whatever its name', async () => {
    const legacyPolicy = await client.createEscalationPolicy({
      escalation_policy: {
        type: 'escalation_policy',
        name: 'Legacy',
        escalation_rules: [
          {
            escalation_delay_in_minutes: 60,
            targets: [{ id: ada, type: 'user_reference' }],
          },
        ],
      },
    });
    const existing = await client.createService({
      service: {
        type: 'service',
        name: 'Checkout (legacy)',
        escalation_policy: {
          id: legacyPolicy.id,
          type: 'escalation_policy_reference',
        },
      },
    });
    fake.state.services.get(existing.id)!.status = 'disabled';
    const desired = desiredPagerDuty(1, { serviceId: existing.id });
    const first = await plan(desired);
    expect(first.steps[4]).toMatchObject({
      resource: 'service',
      action: 'update',
      id: existing.id,
    });
    expect(first.steps[4].changes).toEqual([
      { field: 'name', from: 'Checkout (legacy)', to: 'checkout-api' },
      {
        field: 'description',
        from: '(none)',
        to: 'component:default/checkout-api: tier 1 api of team-payments (managed by NthLayer).',
      },
      { field: 'status', from: 'disabled', to: 'active' },
      {
        field: 'escalation_policy',
        from: `escalation policy "Legacy" (${legacyPolicy.id})`,
        to: 'escalation policy "checkout-api (tier 1)"',
      },
    ]);
    await applyPagerDutyPlan(client, desired, first, { userIds });
    const service = fake.state.services.get(existing.id)!;
    expect(service).toMatchObject({ name: 'checkout-api', status: 'active' });
    expect(service.escalation_policy.id).not.toBe(legacyPolicy.id);
    expect(fake.state.services.size).toBe(1);
    expect(fake.state.escalation_policies.get(legacyPolicy.id)!.name).toBe(
      'Legacy',
    );
    expect(
      actions(await plan(desired)).every(a => a.endsWith('unchanged')),
    ).toBe(true);
  });

  it("writes nothing when user ids are missing, the plan is of another state, or an id is not NthLayer's", async () => {
    const desired = desiredPagerDuty(1);
    const first = await plan(desired);
    const before = writeCount();
    await expect(applyPagerDutyPlan(client, desired, first)).rejects.toThrow(
      new PagerDutyApplyError(
        'PagerDuty user ids are needed for nthlayer:user:team-payments:1, nthlayer:user:team-payments:2 (pass them as userIds); nothing was written',
      ),
    );
    await expect(
      applyPagerDutyPlan(client, desiredPagerDuty(2), first, { userIds }),
    ).rejects.toThrow(
      'The plan is not of the desired state of checkout-api: escalation_policy "checkout-api (tier 1)" where escalation_policy "checkout-api (tier 2)" is expected',
    );
    expect(writeCount()).toBe(before);

    const created = await applyPagerDutyPlan(client, desired, first, {
      userIds,
    });
    const foreign = await client.createEscalationPolicy({
      escalation_policy: {
        type: 'escalation_policy',
        name: 'Someone else',
        escalation_rules: [
          {
            escalation_delay_in_minutes: 1,
            targets: [{ id: ada, type: 'user_reference' }],
          },
        ],
      },
    });
    const forged = {
      steps: created.steps.map((s, i) => ({
        resource: s.resource,
        name: s.name,
        ...(s.index === undefined ? {} : { index: s.index }),
        action: i === 3 ? ('update' as const) : ('unchanged' as const),
        id: i === 3 ? foreign.id : s.id,
        changes: [],
      })),
    };
    const writes = writeCount();
    await expect(
      applyPagerDutyPlan(client, desired, forged, { userIds }),
    ).rejects.toThrow(
      `escalation_policy ${foreign.id} is named "Someone else", not "checkout-api (tier 1)": NthLayer updates only its own objects`,
    );
    expect(writeCount()).toBe(writes);
  });
});
