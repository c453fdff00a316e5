import Ajv, { ValidateFunction } from 'ajv';
import fs from 'fs';
import path from 'path';
import {
  NthlayerService,
  ServiceTier,
  SloDefinition,
} from '@nthlayer/backstage-plugin-common';
import { GeneratorInput } from '../types';
import { generatePagerDuty } from './generatePagerDuty';

// PagerDuty's published contract, read in place (its SOURCE.md asks not to copy it):
// `../shared/` beside the checkout, or NTHLAYER_SHARED_DIR. Missing → the tests fail.
const SHARED_CANDIDATES = [
  process.env.NTHLAYER_SHARED_DIR,
  path.resolve(__dirname, '../../../../../shared'),
  '/work/shared',
].filter((dir): dir is string => Boolean(dir));
const OPENAPI = path.join(
  SHARED_CANDIDATES.find(dir => fs.existsSync(path.join(dir, 'reference'))) ??
    SHARED_CANDIDATES[0],
  'reference/pagerduty-openapi/rest-openapiv3.json',
);

function loadRequestValidators() {
  const doc = JSON.parse(fs.readFileSync(OPENAPI, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat(
    'date-time',
    s =>
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) &&
      !isNaN(Date.parse(s)),
  );
  ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  ajv.addFormat('partial-time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  ajv.addFormat('url', s => URL.canParse(s));
  ajv.addFormat('activesupport-time-zone', s => {
    try {
      // The constructor throws a RangeError for a zone the runtime does not know.
      return Boolean(new Intl.DateTimeFormat('en-US', { timeZone: s }));
    } catch {
      return false;
    }
  });
  // Only components: paths are reached through JSON pointers into the same document.
  ajv.addSchema(
    { $id: 'pagerduty', components: doc.components, paths: doc.paths },
    'pagerduty',
  );
  const pointer = (p: string, method: string) =>
    `pagerduty#/paths/${p
      .replace(/~/g, '~0')
      .replace(
        /\//g,
        '~1',
      )}/${method}/requestBody/content/application~1json/schema`;
  const compile = (p: string, method: string) =>
    ajv.compile({ $ref: pointer(p, method) });
  return {
    team: compile('/teams', 'post'),
    schedule: compile('/schedules', 'post'),
    escalationPolicy: compile('/escalation_policies', 'post'),
    createService: compile('/services', 'post'),
    updateService: compile('/services/{id}', 'put'),
  };
}

let validators: ReturnType<typeof loadRequestValidators>;
let loadMs: number;
beforeAll(() => {
  const started = Date.now();
  validators = loadRequestValidators();
  loadMs = Date.now() - started;
});

/** Why the API would reject `body`, or undefined if it would accept it. */
function rejection(validate: ValidateFunction, body: unknown): string | undefined {
  return validate(body) ? undefined : JSON.stringify(validate.errors, null, 1);
}

const availability: SloDefinition = {
  name: 'availability',
  kind: 'availability',
  targetPercent: 99.9,
  window: { text: '30d', minutes: 43200 },
  source: 'tier-default',
};

function input(
  overrides: Partial<NthlayerService> = {},
  pagerduty?: GeneratorInput['pagerduty'],
): GeneratorInput {
  return {
    service: {
      entityRef: 'component:default/checkout-api',
      name: 'checkout-api',
      tier: 1,
      type: 'api',
      dependsOn: [],
      selector: 'service="checkout-api"',
      defaultSelector: true,
      prometheusInstance: 'default',
      slos: [availability],
      ...overrides,
    },
    team: 'team-payments',
    dependencies: [],
    pagerduty,
  };
}

function state(generatorInput: GeneratorInput): any {
  const { artifacts } = generatePagerDuty(generatorInput);
  expect(artifacts).toHaveLength(1);
  return JSON.parse(artifacts[0].content);
}

describe('generatePagerDuty', () => {
  it('loads the PagerDuty contract quickly', () => {
    // Measured: about half a second to parse the 2.7 MB file and compile five schemas.
    expect(loadMs).toBeLessThan(10_000);
  });

  it('describes the artifact', () => {
    expect(generatePagerDuty(input()).artifacts[0]).toMatchObject({
      id: 'pagerduty',
      kind: 'pagerduty',
      filename: 'pagerduty/checkout-api.json',
      mediaType: 'application/json',
    });
  });

  it.each([1, 2, 3] as ServiceTier[])(
    'writes request bodies the PagerDuty API accepts (tier %s)',
    tier => {
      const s = state(input({ tier }));
      expect(rejection(validators.team, s.team)).toBeUndefined();
      s.schedules.forEach((body: unknown) =>
        expect(rejection(validators.schedule, body)).toBeUndefined(),
      );
      expect(rejection(validators.escalationPolicy, s.escalation_policy)).toBeUndefined();
      expect(rejection(validators.createService, s.service)).toBeUndefined();
    },
  );

  it('the validators reject what the API rejects', () => {
    const s = state(input({ tier: 2 }));
    expect(
      validators.createService({
        service: { ...s.service.service, escalation_policy: undefined },
      }),
    ).toBe(false);
    expect(
      validators.createService({
        service: {
          ...s.service.service,
          incident_urgency_rule: { type: 'constant', urgency: 'medium' },
        },
      }),
    ).toBe(false);
    expect(
      validators.escalationPolicy({
        escalation_policy: { type: 'escalation_policy', name: 'x' },
      }),
    ).toBe(false);
    const schedule = structuredClone(s.schedules[0]);
    schedule.schedule.schedule_layers[0].start = 'Monday 9am';
    expect(validators.schedule(schedule)).toBe(false);
    expect(validators.team({ team: { type: 'team' } })).toBe(false);
  });

  it.each([
    [1 as ServiceTier, 5, 2],
    [2 as ServiceTier, 15, 1],
    [3 as ServiceTier, 30, 0],
  ])('escalates tier %s after %s minutes', (tier, delay, loops) => {
    const policy = state(input({ tier })).escalation_policy.escalation_policy;
    expect(policy.name).toBe(`checkout-api (tier ${tier})`);
    expect(policy.num_loops).toBe(loops);
    expect(policy.escalation_rules).toEqual([
      {
        escalation_delay_in_minutes: delay,
        targets: [
          {
            id: 'nthlayer:schedule:team-payments-primary',
            type: 'schedule_reference',
          },
        ],
      },
      {
        escalation_delay_in_minutes: delay,
        targets: [
          {
            id: 'nthlayer:schedule:team-payments-secondary',
            type: 'schedule_reference',
          },
        ],
      },
    ]);
    expect(policy.teams).toEqual([
      { id: 'nthlayer:team:team-payments', type: 'team_reference' },
    ]);
  });

  it('sets urgency by tier', () => {
    const tier1 = state(input({ tier: 1 })).service.service;
    expect(tier1.incident_urgency_rule).toEqual({
      type: 'constant',
      urgency: 'high',
    });
    expect(tier1.support_hours).toBeUndefined();
    const tier2 = state(input({ tier: 2 })).service.service;
    expect(tier2.incident_urgency_rule).toEqual({
      type: 'use_support_hours',
      during_support_hours: { type: 'constant', urgency: 'high' },
      outside_support_hours: { type: 'constant', urgency: 'low' },
    });
    expect(tier2.support_hours).toEqual({
      type: 'fixed_time_per_day',
      time_zone: 'UTC',
      days_of_week: [1, 2, 3, 4, 5],
      start_time: '09:00:00',
      end_time: '17:00:00',
    });
    expect(tier2.scheduled_actions[0]).toMatchObject({
      type: 'urgency_change',
      to_urgency: 'high',
    });
    const tier3 = state(input({ tier: 3 })).service.service;
    expect(tier3.incident_urgency_rule).toEqual({
      type: 'constant',
      urgency: 'low',
    });
  });

  it('refers to the escalation policy and rotates weekly between placeholder users', () => {
    const s = state(input());
    expect(s.service.service.escalation_policy).toEqual({
      id: 'nthlayer:escalation_policy:checkout-api',
      type: 'escalation_policy_reference',
    });
    const [primary, secondary] = s.schedules.map((b: any) => b.schedule);
    expect(primary.name).toBe('team-payments primary on-call');
    const layer = primary.schedule_layers[0];
    expect(layer).toMatchObject({
      rotation_turn_length_seconds: 604800,
      start: '2024-01-01T09:00:00+00:00',
    });
    expect(layer.users.map((u: any) => u.user.id)).toEqual([
      'nthlayer:user:team-payments:1',
      'nthlayer:user:team-payments:2',
    ]);
    expect(
      secondary.schedule_layers[0].users.map((u: any) => u.user.id),
    ).toEqual([
      'nthlayer:user:team-payments:2',
      'nthlayer:user:team-payments:1',
    ]);
    const ids =
      JSON.stringify(s).match(
        /nthlayer:(team|user|schedule|escalation_policy):[^"]+/g,
      ) ?? [];
    expect(Object.keys(s.nthlayer.placeholders).sort()).toEqual(
      [...new Set(ids)].sort(),
    );
    expect(
      s.nthlayer.requests.map((r: any) => `${r.method} ${r.path}`),
    ).toEqual([
      'POST /teams',
      'POST /schedules',
      'POST /schedules',
      'POST /escalation_policies',
      'POST /services',
    ]);
  });

  it('updates the existing service named by pagerduty.com/service-id', () => {
    const s = state(
      input({}, { serviceId: 'PABC123', integrationKey: 'secret-ish' }),
    );
    expect(s.nthlayer.existingServiceId).toBe('PABC123');
    expect(s.service.service.id).toBe('PABC123');
    expect(s.nthlayer.requests[4]).toEqual({
      method: 'PUT',
      path: '/services/PABC123',
      body: 'service',
    });
    expect(rejection(validators.updateService, s.service)).toBeUndefined();
    expect(JSON.stringify(s)).not.toContain('secret-ish');
  });

  it('uses the time zone of a calendar SLO for schedules and support hours', () => {
    const slo: SloDefinition = {
      ...availability,
      window: {
        text: '1M',
        minutes: 43200,
        calendar: { unit: 'month', timeZone: 'Europe/Berlin' },
      },
    };
    const s = state(input({ tier: 2, slos: [slo] }));
    expect(rejection(validators.createService, s.service)).toBeUndefined();
    expect(s.service.service.support_hours.time_zone).toBe('Europe/Berlin');
    expect(s.schedules[0].schedule.time_zone).toBe('Europe/Berlin');
    expect(s.schedules[0].schedule.schedule_layers[0].start).toBe(
      '2024-01-01T09:00:00+01:00',
    );
  });
});
