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
import {
  PagerDutyRequestKind,
  isPagerDutyDateTime,
  pagerDutyRequestBodies,
} from './pagerDutyContract';
import { isKnownTimeZone } from './pagerDutyPolicy';

/** Why PagerDuty would reject `body` (by our schemas of its API), or undefined if it accepts it. */
function rejection(
  kind: PagerDutyRequestKind,
  body: unknown,
): string | undefined {
  const result = pagerDutyRequestBodies[kind].safeParse(body);
  return result.success
    ? undefined
    : result.error.issues
        .map(issue => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
}

/** The paths of the fields our schemas find fault with. */
function faultyPaths(kind: PagerDutyRequestKind, body: unknown): string[] {
  const result = pagerDutyRequestBodies[kind].safeParse(body);
  return result.success ? [] : result.error.issues.map(i => i.path.join('.'));
}

const availability: SloDefinition = {
  name: 'availability',
  kind: 'availability',
  targetPercent: 99.9,
  window: { text: '30d', minutes: 43200 },
  source: 'tier-default',
};

const berlinSlo: SloDefinition = {
  ...availability,
  window: {
    text: '1M',
    minutes: 43200,
    calendar: { unit: 'month', timeZone: 'Europe/Berlin' },
  },
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

/** The desired state, outside a test (no assertions). */
function desiredState(generatorInput: GeneratorInput): any {
  return JSON.parse(generatePagerDuty(generatorInput).artifacts[0].content);
}

function state(generatorInput: GeneratorInput): any {
  const { artifacts } = generatePagerDuty(generatorInput);
  expect(artifacts).toHaveLength(1);
  return JSON.parse(artifacts[0].content);
}

/** A request body and the request it is sent with. */
interface Sample {
  name: string;
  kind: PagerDutyRequestKind;
  body: unknown;
}

function kindOf(method: string, requestPath: string): PagerDutyRequestKind {
  const request = `${method} ${requestPath.replace(
    /^\/services\/[^/]+$/,
    '/services/{id}',
  )}`;
  const kinds: Record<string, PagerDutyRequestKind> = {
    'POST /teams': 'team',
    'POST /schedules': 'schedule',
    'POST /escalation_policies': 'escalationPolicy',
    'POST /services': 'createService',
    'PUT /services/{id}': 'updateService',
  };
  if (!kinds[request])
    throw new Error(`no schema for ${method} ${requestPath}`);
  return kinds[request];
}

/** The requests of a desired state, each with the body it names (`team`, `schedules[1]`, ...). */
function requests(label: string, s: any): Sample[] {
  return s.nthlayer.requests.map((r: any) => {
    const [, key, index] = /^(\w+)(?:\[(\d+)\])?$/.exec(r.body)!;
    return {
      name: `${label}: ${r.method} ${r.path} (${r.body})`,
      kind: kindOf(r.method, r.path),
      body: index === undefined ? s[key] : s[key][Number(index)],
    };
  });
}

const tier2 = desiredState(input({ tier: 2 }));
const existing = desiredState(input({}, { serviceId: 'PABC123' }));

/** Bodies NthLayer writes: tiers 1-3, an existing service, a calendar time zone. */
const GENERATED: Sample[] = [
  ...requests('tier 1', desiredState(input({ tier: 1 }))),
  ...requests('tier 2', tier2),
  ...requests('tier 3', desiredState(input({ tier: 3 }))),
  ...requests('existing service PABC123', existing),
  ...requests(
    'Europe/Berlin',
    desiredState(input({ tier: 2, slos: [berlinSlo] })),
  ),
];

/** A generated body changed in one place. */
interface Variant extends Sample {
  /** For a body the API rejects: the field our schemas must name. */
  at?: string;
  /**
   * Set where the OpenAPI schema gives the other verdict than the reference's own prose,
   * which the API and our schemas follow: what the prose says.
   */
  prose?: string;
}

const BASES: Record<PagerDutyRequestKind, unknown> = {
  team: tier2.team,
  schedule: tier2.schedules[0],
  escalationPolicy: tier2.escalation_policy,
  createService: tier2.service,
  updateService: existing.service,
};

function variant(
  kind: PagerDutyRequestKind,
  name: string,
  change: (body: any) => unknown,
  details: Omit<Variant, 'name' | 'kind' | 'body'> = {},
): Variant {
  const body = structuredClone(BASES[kind]) as any;
  // `change` edits the copy in place, or returns a body to use instead.
  const replacement = change(body);
  return {
    name,
    kind,
    body: typeof replacement === 'object' && replacement ? replacement : body,
    ...details,
  };
}

/** Bodies the API rejects, each for one reason. */
const REJECTED: Variant[] = [
  variant(
    'createService',
    'a service without an escalation policy',
    b => delete b.service.escalation_policy,
    { at: 'service.escalation_policy' },
  ),
  variant(
    'createService',
    'urgency "medium"',
    b => {
      b.service.incident_urgency_rule = { type: 'constant', urgency: 'medium' };
    },
    { at: 'service.incident_urgency_rule.urgency' },
  ),
  variant(
    'escalationPolicy',
    'an escalation policy of only a type and a name',
    () => ({ escalation_policy: { type: 'escalation_policy', name: 'x' } }),
    { at: 'escalation_policy.escalation_rules' },
  ),
  variant(
    'schedule',
    'a layer starting "Monday 9am"',
    b => {
      b.schedule.schedule_layers[0].start = 'Monday 9am';
    },
    { at: 'schedule.schedule_layers.0.start' },
  ),
  variant('team', 'a team without a name', () => ({ team: { type: 'team' } }), {
    at: 'team.name',
  }),
  variant(
    'createService',
    'support hours on day 8',
    b => {
      b.service.support_hours.days_of_week = [1, 2, 3, 4, 5, 8];
    },
    {
      at: 'service.support_hours.days_of_week.5',
      prose: 'days_of_week are 1 through 7, for Monday through Sunday',
    },
  ),
  variant(
    'createService',
    'support hours starting at "9:00"',
    b => {
      b.service.support_hours.start_time = '9:00';
    },
    { at: 'service.support_hours.start_time' },
  ),
  variant(
    'escalationPolicy',
    'an escalation policy without escalation rules',
    b => delete b.escalation_policy.escalation_rules,
    { at: 'escalation_policy.escalation_rules' },
  ),
  variant(
    'escalationPolicy',
    'a team as an escalation target',
    b => {
      b.escalation_policy.escalation_rules[0].targets[0].type =
        'team_reference';
    },
    { at: 'escalation_policy.escalation_rules.0.targets.0.type' },
  ),
  variant(
    'escalationPolicy',
    'an escalation rule without targets',
    b => {
      b.escalation_policy.escalation_rules[0].targets = [];
    },
    { at: 'escalation_policy.escalation_rules.0.targets' },
  ),
  variant(
    'escalationPolicy',
    'num_loops -1',
    b => {
      b.escalation_policy.num_loops = -1;
    },
    { at: 'escalation_policy.num_loops' },
  ),
  variant(
    'escalationPolicy',
    'an escalation policy of two teams',
    b => {
      b.escalation_policy.teams.push({ id: 'PTEAM2', type: 'team_reference' });
    },
    {
      at: 'escalation_policy.teams',
      prose: 'only one team may be associated with the policy',
    },
  ),
  variant(
    'createService',
    'a service typed "service_reference"',
    b => {
      b.service.type = 'service_reference';
    },
    { at: 'service.type' },
  ),
  variant(
    'createService',
    'an escalation policy referred to as "escalation_policy"',
    b => {
      b.service.escalation_policy.type = 'escalation_policy';
    },
    { at: 'service.escalation_policy.type' },
  ),
  variant(
    'createService',
    'urgency rule type "severity_based"',
    b => {
      b.service.incident_urgency_rule.type = 'severity_based';
    },
    { at: 'service.incident_urgency_rule.type' },
  ),
  variant(
    'createService',
    'support hours of type "variable_time_per_day"',
    b => {
      b.service.support_hours.type = 'variable_time_per_day';
    },
    { at: 'service.support_hours.type' },
  ),
  variant(
    'createService',
    'support hours in "Mars/Olympus_Mons"',
    b => {
      b.service.support_hours.time_zone = 'Mars/Olympus_Mons';
    },
    { at: 'service.support_hours.time_zone' },
  ),
  variant(
    'createService',
    'a scheduled change to low urgency',
    b => {
      b.service.scheduled_actions[0].to_urgency = 'low';
    },
    { at: 'service.scheduled_actions.0.to_urgency' },
  ),
  variant(
    'createService',
    'a scheduled action at "lunch"',
    b => {
      b.service.scheduled_actions[0].at.name = 'lunch';
    },
    { at: 'service.scheduled_actions.0.at.name' },
  ),
  variant(
    'createService',
    'a new service in maintenance',
    b => {
      b.service.status = 'maintenance';
    },
    {
      at: 'service.status',
      prose: '`active` is the only status a service can be created with',
    },
  ),
  variant(
    'createService',
    'auto_resolve_timeout -1',
    b => {
      b.service.auto_resolve_timeout = -1;
    },
    {
      at: 'service.auto_resolve_timeout',
      prose: 'the value must not be negative',
    },
  ),
  variant(
    'updateService',
    'an update without an escalation policy',
    b => delete b.service.escalation_policy,
    { at: 'service.escalation_policy' },
  ),
  variant(
    'updateService',
    'an update to status "paused"',
    b => {
      b.service.status = 'paused';
    },
    { at: 'service.status' },
  ),
  variant(
    'schedule',
    'a schedule without a time zone',
    b => delete b.schedule.time_zone,
    { at: 'schedule.time_zone' },
  ),
  variant(
    'schedule',
    'a schedule in "Mars/Olympus_Mons"',
    b => {
      b.schedule.time_zone = 'Mars/Olympus_Mons';
    },
    { at: 'schedule.time_zone' },
  ),
  variant(
    'schedule',
    'a schedule in "+01:00" (an offset, not a zone)',
    b => {
      b.schedule.time_zone = '+01:00';
    },
    { at: 'schedule.time_zone' },
  ),
  variant(
    'schedule',
    'a layer starting without a UTC offset',
    b => {
      b.schedule.schedule_layers[0].start = '2024-01-01T09:00:00';
    },
    { at: 'schedule.schedule_layers.0.start' },
  ),
  variant(
    'schedule',
    'a layer starting at 24:00:00 (ISO 8601 has it, RFC 3339 does not)',
    b => {
      b.schedule.schedule_layers[0].start = '2024-01-01T24:00:00+01:00';
    },
    { at: 'schedule.schedule_layers.0.start' },
  ),
  variant(
    'schedule',
    'a rotation starting on 30 February',
    b => {
      b.schedule.schedule_layers[0].rotation_virtual_start =
        '2024-02-30T09:00:00+01:00';
    },
    { at: 'schedule.schedule_layers.0.rotation_virtual_start' },
  ),
  variant(
    'schedule',
    'a turn length as a string',
    b => {
      b.schedule.schedule_layers[0].rotation_turn_length_seconds = '604800';
    },
    { at: 'schedule.schedule_layers.0.rotation_turn_length_seconds' },
  ),
  variant(
    'schedule',
    'a layer without users',
    b => delete b.schedule.schedule_layers[0].users,
    { at: 'schedule.schedule_layers.0.users' },
  ),
  variant(
    'schedule',
    'a layer user referred to as "user"',
    b => {
      b.schedule.schedule_layers[0].users[0].user.type = 'user';
    },
    { at: 'schedule.schedule_layers.0.users.0.user.type' },
  ),
  variant(
    'schedule',
    'a weekly restriction without its day',
    b => {
      b.schedule.schedule_layers[0].restrictions = [
        {
          type: 'weekly_restriction',
          start_time_of_day: '09:00:00',
          duration_seconds: 3600,
        },
      ];
    },
    {
      at: 'schedule.schedule_layers.0.restrictions.0.start_day_of_week',
      prose: 'start_day_of_week is required for a weekly_restriction',
    },
  ),
  variant(
    'team',
    'a team name of 101 characters',
    b => {
      b.team.name = 'x'.repeat(101);
    },
    { at: 'team.name' },
  ),
];

/** Unusual bodies the API accepts. */
const ACCEPTED: Variant[] = [
  variant('escalationPolicy', 'a target of the older type "user"', b => {
    b.escalation_policy.escalation_rules[0].targets[0] = {
      id: 'PUSER01',
      type: 'user',
    };
  }),
  variant('escalationPolicy', 'a target of the older type "schedule"', b => {
    b.escalation_policy.escalation_rules[0].targets[0].type = 'schedule';
  }),
  variant('createService', 'urgency "severity_based"', b => {
    b.service.incident_urgency_rule = {
      type: 'constant',
      urgency: 'severity_based',
    };
  }),
  variant(
    'createService',
    'a scheduled action at the end of support hours',
    b => {
      b.service.scheduled_actions[0].at.name = 'support_hours_end';
    },
  ),
  variant('updateService', 'an update to status "disabled"', b => {
    b.service.status = 'disabled';
  }),
  variant('team', 'a team name of 100 characters outside the BMP', b => {
    b.team.name = '𝄞'.repeat(100);
  }),
  variant('schedule', 'a weekly restriction starting on Sunday', b => {
    b.schedule.schedule_layers[0].restrictions = [
      {
        type: 'weekly_restriction',
        start_time_of_day: '09:00:00',
        duration_seconds: 3600,
        start_day_of_week: 7,
      },
    ];
  }),
  variant('schedule', 'a layer ending on 29 February 2028, in UTC', b => {
    b.schedule.schedule_layers[0].end = '2028-02-29T09:00:00Z';
  }),
  variant(
    'createService',
    'auto_resolve_timeout null (turned off)',
    b => {
      b.service.auto_resolve_timeout = null;
    },
    { prose: 'setting the field to 0 or null disables the feature' },
  ),
];

const named = <T extends { name: string }>(samples: T[]) =>
  samples.map(s => [s.name, s] as [string, T]);

describe('generatePagerDuty', () => {
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
      expect(rejection('team', s.team)).toBeUndefined();
      expect(s.schedules).toHaveLength(2);
      s.schedules.forEach((body: unknown) =>
        expect(rejection('schedule', body)).toBeUndefined(),
      );
      expect(
        rejection('escalationPolicy', s.escalation_policy),
      ).toBeUndefined();
      expect(rejection('createService', s.service)).toBeUndefined();
    },
  );

  it('pairs every request with a body of the schema of that request', () => {
    const samples = requests('tier 2', state(input({ tier: 2 })));
    expect(samples.map(s => s.kind)).toEqual([
      'team',
      'schedule',
      'schedule',
      'escalationPolicy',
      'createService',
    ]);
    samples.forEach(s => expect(s.body).toBeDefined());
  });

  describe('the validators reject what the API rejects', () => {
    it.each(named(REJECTED))('%s', (_, v) => {
      expect(rejection(v.kind, BASES[v.kind])).toBeUndefined();
      expect(rejection(v.kind, v.body)).toBeDefined();
      expect(faultyPaths(v.kind, v.body)).toContain(v.at);
    });
  });

  describe('the validators accept what the API accepts', () => {
    it.each(named(ACCEPTED))('%s', (_, v) => {
      expect(rejection(v.kind, v.body)).toBeUndefined();
    });
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
    const tier2Service = state(input({ tier: 2 })).service.service;
    expect(tier2Service.incident_urgency_rule).toEqual({
      type: 'use_support_hours',
      during_support_hours: { type: 'constant', urgency: 'high' },
      outside_support_hours: { type: 'constant', urgency: 'low' },
    });
    expect(tier2Service.support_hours).toEqual({
      type: 'fixed_time_per_day',
      time_zone: 'UTC',
      days_of_week: [1, 2, 3, 4, 5],
      start_time: '09:00:00',
      end_time: '17:00:00',
    });
    expect(tier2Service.scheduled_actions[0]).toMatchObject({
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
    expect(rejection('updateService', s.service)).toBeUndefined();
    expect(JSON.stringify(s)).not.toContain('secret-ish');
  });

  it('uses the time zone of a calendar SLO for schedules and support hours', () => {
    const s = state(input({ tier: 2, slos: [berlinSlo] }));
    expect(rejection('createService', s.service)).toBeUndefined();
    s.schedules.forEach((body: unknown) =>
      expect(rejection('schedule', body)).toBeUndefined(),
    );
    expect(s.service.service.support_hours.time_zone).toBe('Europe/Berlin');
    expect(s.schedules[0].schedule.time_zone).toBe('Europe/Berlin');
    expect(s.schedules[0].schedule.schedule_layers[0].start).toBe(
      '2024-01-01T09:00:00+01:00',
    );
  });

  it('writes an offset-style calendar zone as UTC with a finding (PagerDuty takes names only)', () => {
    const slo: SloDefinition = {
      ...berlinSlo,
      window: {
        ...berlinSlo.window,
        calendar: { unit: 'month', timeZone: '+01:00' },
      },
    };
    const result = generatePagerDuty(input({ tier: 2, slos: [slo] }));
    const s = JSON.parse(result.artifacts[0].content);
    expect(s.schedules[0].schedule.time_zone).toBe('UTC');
    expect(s.service.service.support_hours.time_zone).toBe('UTC');
    s.schedules.forEach((body: unknown) =>
      expect(rejection('schedule', body)).toBeUndefined(),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({ annotation: 'nthlayer.dev/timezone', value: '+01:00' }),
    ]);
  });
});

// PagerDuty's published OpenAPI file (github.com/PagerDuty/api-schema,
// reference/REST/openapiv3.json) may not be copied into this repository; where a copy is at
// hand, NTHLAYER_PAGERDUTY_OPENAPI names it (relative to the working directory) and our
// schemas are checked against it.
const OPENAPI_ENV = 'NTHLAYER_PAGERDUTY_OPENAPI';
const openApiFile = process.env[OPENAPI_ENV];

function loadRequestValidators(file: string) {
  const resolved = path.resolve(file);
  const unusable = (why: string) =>
    new Error(
      `${OPENAPI_ENV} is set to "${file}" (${resolved}), but ${why}. Point it at PagerDuty's ` +
        `rest-openapiv3.json (reference/REST/openapiv3.json of github.com/PagerDuty/api-schema), ` +
        `or unset it to leave the cross-check out.`,
    );
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw unusable(`it cannot be read (${(error as Error).message})`);
  }
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw unusable(`it is not JSON (${(error as Error).message})`);
  }
  if (!doc?.paths || !doc?.components) {
    throw unusable('it is not an OpenAPI document (no paths or components)');
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  // Formats are names in the document; their meaning (RFC 3339, zone names) is ours to
  // implement, with the same functions as our schemas: the cross-check is about structure.
  ajv.addFormat('date-time', isPagerDutyDateTime);
  ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  ajv.addFormat('partial-time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
  ajv.addFormat('url', s => URL.canParse(s));
  ajv.addFormat('activesupport-time-zone', isKnownTimeZone);
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
  const compile = (p: string, method: string) => {
    if (!doc.paths[p]?.[method]?.requestBody) {
      throw unusable(`it has no request body for ${method.toUpperCase()} ${p}`);
    }
    return ajv.compile({ $ref: pointer(p, method) });
  };
  const validators: Record<PagerDutyRequestKind, ValidateFunction> = {
    team: compile('/teams', 'post'),
    schedule: compile('/schedules', 'post'),
    escalationPolicy: compile('/escalation_policies', 'post'),
    createService: compile('/services', 'post'),
    updateService: compile('/services/{id}', 'put'),
  };
  return validators;
}

if (!openApiFile) {
  console.info(
    `PagerDuty OpenAPI cross-check not run: set ${OPENAPI_ENV} to PagerDuty's rest-openapiv3.json`,
  );
}

(openApiFile ? describe : describe.skip)(
  `PagerDuty's OpenAPI (${OPENAPI_ENV}), cross-checked with our schemas`,
  () => {
    let validators: ReturnType<typeof loadRequestValidators>;
    let loadMs: number;
    beforeAll(() => {
      const started = Date.now();
      validators = loadRequestValidators(openApiFile!);
      loadMs = Date.now() - started;
    });

    /** Why PagerDuty's OpenAPI rejects `body`, or undefined if it accepts it. */
    function openApiRejection(kind: PagerDutyRequestKind, body: unknown) {
      const validate = validators[kind];
      return validate(body)
        ? undefined
        : JSON.stringify(validate.errors, null, 1);
    }

    it('loads the PagerDuty contract quickly', () => {
      // Measured: about half a second to parse the 2.7 MB file and compile five schemas.
      expect(loadMs).toBeLessThan(10_000);
    });

    /** `accepts`, or `rejects: ` and the validator's reasons, by each validator. */
    const verdicts = (sample: Sample) => {
      const zod = rejection(sample.kind, sample.body);
      const openApi = openApiRejection(sample.kind, sample.body);
      return {
        name: sample.name,
        zod: zod === undefined ? 'accepts' : `rejects: ${zod}`,
        openApi: openApi === undefined ? 'accepts' : `rejects: ${openApi}`,
      };
    };
    const verdict = (reasons: string) => reasons.replace(/:.*/s, '');

    it('accepts every generated body', () => {
      expect(GENERATED).toHaveLength(5 * 5);
      expect(
        GENERATED.map(verdicts).filter(
          v => v.openApi !== 'accepts' || v.zod !== 'accepts',
        ),
      ).toEqual([]);
    });

    it('agrees with our schemas on every generated, hostile and unusual body', () => {
      const corpus = [...GENERATED, ...REJECTED, ...ACCEPTED].filter(
        (s: Variant) => !s.prose,
      );
      expect(
        corpus.map(verdicts).filter(v => verdict(v.zod) !== verdict(v.openApi)),
      ).toEqual([]);
      // Both verdicts occur: the agreement is not that of two validators accepting everything.
      expect(
        corpus
          .filter(s => rejection(s.kind, s.body) !== undefined)
          .map(s => s.name),
      ).toEqual(REJECTED.filter(v => !v.prose).map(v => v.name));
    });

    it('rejects each hostile body at the field our schemas name', () => {
      const hostile = REJECTED.filter(v => !v.prose);
      expect(hostile.length).toBeGreaterThan(0);
      // A missing property is reported at its parent, with the property's name.
      const fields = (v: Variant) => {
        const validate = validators[v.kind];
        validate(v.body);
        return (validate.errors ?? []).map(e =>
          [...e.instancePath.split('/').slice(1), e.params.missingProperty]
            .filter(part => part !== undefined)
            .join('.'),
        );
      };
      expect(
        hostile
          .filter(v => !fields(v).includes(v.at!))
          .map(v => ({ name: v.name, expected: v.at, openApi: fields(v) })),
      ).toEqual([]);
    });

    it('gives the other verdict where its schema says otherwise than its prose', () => {
      // Our schemas follow the prose (what the API does). Pinned, so that a corrected
      // OpenAPI file shows up here.
      const prose = [...REJECTED, ...ACCEPTED].filter(v => v.prose);
      expect(prose.length).toBeGreaterThan(0);
      expect(
        prose.map(v => {
          const { zod, openApi } = verdicts(v);
          return { name: v.name, zod: verdict(zod), openApi: verdict(openApi) };
        }),
      ).toEqual(
        prose.map(v => ({
          name: v.name,
          zod: REJECTED.includes(v) ? 'rejects' : 'accepts',
          openApi: REJECTED.includes(v) ? 'accepts' : 'rejects',
        })),
      );
    });
  },
);
