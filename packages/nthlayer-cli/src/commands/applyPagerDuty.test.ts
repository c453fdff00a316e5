import { captureOutput, freePort } from '@internal/nthlayer-test-utils';
import { PagerDutyFake } from '@nthlayer/backstage-plugin-generators/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../index';

// The CLI against the contract-checked loopback PagerDuty: every request body the fake
// receives is validated against PagerDuty's published schemas (a 400 otherwise).
const SERVICE = `
service:
  name: checkout-api
  team: team-payments
  tier: critical
  type: api
resources:
  - kind: SLO
    name: availability
    spec: { objective: 99.95, window: 30d }
`;
const withServiceId = (id: string) =>
  `${SERVICE}  - kind: PagerDuty\n    name: pagerduty\n    spec: { service_id: ${id} }\n`;

let tmp: string;
let file: string;
let fake: PagerDutyFake;
let ada: string;
let grace: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-apply-'));
  file = path.join(tmp, 'checkout-api.service.yaml');
  fs.writeFileSync(file, SERVICE);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeEach(async () => {
  fake = await PagerDutyFake.start();
  ada = fake.addUser('Ada');
  grace = fake.addUser('Grace');
});
afterEach(async () => {
  jest.restoreAllMocks();
  await fake.close();
});

async function apply(...args: string[]) {
  const { out, err } = captureOutput();
  const code = await main(['node', 'nthlayer', 'apply', 'pagerduty', ...args]);
  jest.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}
const target = () => ['--pagerduty-token', fake.token, '--pagerduty-url', fake.baseUrl];
const users = () => ['--user-id', ada, '--user-id', grace];

describe('nthlayer apply pagerduty', () => {
  it('shows the plan field by field with --dry-run and writes nothing (exit 1)', async () => {
    const { code, out } = await apply(file, ...target(), '--dry-run');
    expect(out).toContain(`PagerDuty plan for checkout-api (component:default/checkout-api) at ${fake.baseUrl}:`);
    expect(out).toContain('  create    team "team-payments"\n      + name: team-payments\n');
    expect(out).toContain('  create    schedule "team-payments primary on-call"');
    expect(out).toContain('      + schedule_layers[0].rotation_turn_length_seconds: 604800');
    expect(out).toContain('      + schedule_layers[0].users[0]: user nthlayer:user:team-payments:1 (needs --user-id)');
    expect(out).toContain('  create    escalation policy "checkout-api (tier 1)"');
    expect(out).toContain('      + escalation_rules[0].escalation_delay_in_minutes: 5');
    expect(out).toContain(
      '      + escalation_rules[0].targets[0]: schedule "team-payments primary on-call" (created or found above)',
    );
    expect(out).toContain('      + incident_urgency_rule.urgency: high');
    expect(out).toContain('plan: 5 to create, 0 to update, 0 unchanged');
    expect(out).toContain(
      'apply needs PagerDuty user ids for nthlayer:user:team-payments:1, nthlayer:user:team-payments:2: --user-id ID (repeatable, in this order)',
    );
    expect(out).toContain('dry run: nothing was written');
    expect(fake.writes()).toEqual([]);
    expect(code).toBe(1);
  });

  it('refuses without the user ids the schedules need, before any write (exit 2)', async () => {
    const { code, err } = await apply(file, ...target());
    expect(err).toContain('not applied: PagerDuty user ids are needed for nthlayer:user:team-payments:1, nthlayer:user:team-payments:2');
    expect(err).toContain('--user-id ID');
    expect(fake.writes()).toEqual([]);
    expect(code).toBe(2);
  });

  it('applies, then a second run changes nothing (exit 0 both times)', async () => {
    const first = await apply(file, ...target(), ...users(), '--from', 'oncall@example.com');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('applied: 5 created, 0 updated, 0 unchanged; 5 write(s) sent');
    expect(fake.writes().map(r => `${r.method} ${r.path} ${r.status} ${r.headers.from}`)).toEqual([
      'POST /teams 201 oncall@example.com',
      'POST /schedules 201 oncall@example.com',
      'POST /schedules 201 oncall@example.com',
      'POST /escalation_policies 201 oncall@example.com',
      'POST /services 201 oncall@example.com',
    ]);
    // From goes with writes only.
    expect(fake.requests.filter(r => r.method === 'GET').every(r => r.headers.from === undefined)).toBe(true);
    const [primary] = [...fake.state.schedules.values()];
    expect(primary.schedule_layers[0].users.map((u: any) => u.user.id)).toEqual([ada, grace]);

    const writes = fake.writes().length;
    const second = await apply(file, ...target());
    expect(second.out).toContain('  unchanged team "team-payments" (');
    expect(second.out).toContain('nothing to change: PagerDuty matches the desired state of checkout-api');
    expect(fake.writes()).toHaveLength(writes);
    expect(second.code).toBe(0);
  });

  it('puts back a hand-changed escalation delay, field by field, and deletes nothing', async () => {
    expect((await apply(file, ...target(), ...users())).code).toBe(0);
    const [policy] = [...fake.state.escalation_policies.values()];
    policy.escalation_rules[0].escalation_delay_in_minutes = 30;

    const plan = await apply(file, ...target(), '--dry-run');
    expect(plan.out).toContain(`  update    escalation policy "checkout-api (tier 1)" (${policy.id})`);
    expect(plan.out).toContain('      ~ escalation_rules[0].escalation_delay_in_minutes: 30 → 5');
    expect(plan.out).toContain('plan: 0 to create, 1 to update, 4 unchanged');
    expect(plan.code).toBe(1);

    const writes = fake.writes().length;
    const applied = await apply(file, ...target());
    expect(applied.code).toBe(0);
    expect(fake.writes().slice(writes).map(r => `${r.method} ${r.path}`)).toEqual([`PUT /escalation_policies/${policy.id}`]);
    expect(fake.state.escalation_policies.get(policy.id)!.escalation_rules[0].escalation_delay_in_minutes).toBe(5);
    expect(fake.requests.some(r => r.method === 'DELETE')).toBe(false);
    expect((await apply(file, ...target())).out).toContain('nothing to change');
  });

  it("waits for a 429's Retry-After and goes on", async () => {
    fake.rateLimitNext(1, { 'Retry-After': '1' });
    const started = Date.now();
    const { code } = await apply(file, ...target(), '--dry-run');
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(code).toBe(1);
    const statuses = fake.requests.map(r => r.status);
    expect(statuses[0]).toBe(429);
    expect(statuses.slice(1).every(s => s === 200)).toBe(true);
  });

  it('exits 3 when PagerDuty keeps answering 429', async () => {
    // More 429s than the reads of the plan can take: each gives up after 3 retries.
    fake.rateLimitNext(100, { 'Retry-After': '0' });
    const limited = await apply(file, ...target(), '--dry-run');
    expect(limited.err).toMatch(/PagerDuty failed: PagerDuty rate limit: GET \/\S+ still answered 429 after 3 retries/);
    expect(limited.code).toBe(3);
    expect(fake.writes()).toEqual([]);
  });

  it('exits 3 when PagerDuty refuses the key or cannot be reached', async () => {
    const refused = await apply(file, '--pagerduty-token', 'wrong', '--pagerduty-url', fake.baseUrl);
    expect(refused.err).toMatch(/PagerDuty failed: PagerDuty GET \/\S+ answered 401: Authentication failed; nothing was written/);
    expect(refused.code).toBe(3);

    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await apply(file, '--pagerduty-token', 't', '--pagerduty-url', url);
    expect(down.err).toContain(`could not be sent: ${url} is unreachable (ECONNREFUSED)`);
    expect(down.code).toBe(3);
  });

  it('updates the service the file names by id, and refuses an id PagerDuty does not have', async () => {
    const policy = await fetch(`${fake.baseUrl}/escalation_policies`, {
      method: 'POST',
      headers: { Authorization: `Token token=${fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        escalation_policy: {
          type: 'escalation_policy',
          name: 'Legacy',
          escalation_rules: [{ escalation_delay_in_minutes: 60, targets: [{ id: ada, type: 'user_reference' }] }],
        },
      }),
    }).then(r => r.json());
    const service = await fetch(`${fake.baseUrl}/services`, {
      method: 'POST',
      headers: { Authorization: `Token token=${fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        service: {
          type: 'service',
          name: 'Checkout (legacy)',
          escalation_policy: { id: policy.escalation_policy.id, type: 'escalation_policy_reference' },
        },
      }),
    }).then(r => r.json());
    const id: string = service.service.id;
    const named = path.join(tmp, 'named.service.yaml');
    fs.writeFileSync(named, withServiceId(id));

    const { code, out } = await apply(named, ...target(), ...users(), '--format', 'json');
    const json = JSON.parse(out);
    expect(json.plan.steps[4]).toMatchObject({ resource: 'service', action: 'update', id });
    expect(json.plan.steps[4].changes).toContainEqual({ field: 'name', from: 'Checkout (legacy)', to: 'checkout-api' });
    expect(json.result.steps[4]).toEqual({ resource: 'service', name: 'checkout-api', action: 'updated', id });
    expect(json).toMatchObject({ service: 'checkout-api', dryRun: false, exitCode: 0 });
    expect(code).toBe(0);
    expect(fake.state.services.size).toBe(1);
    expect(fake.state.services.get(id)!.name).toBe('checkout-api');

    const missing = path.join(tmp, 'missing.service.yaml');
    fs.writeFileSync(missing, withServiceId('PNOSUCH'));
    const writes = fake.writes().length;
    const refused = await apply(missing, ...target(), ...users());
    expect(refused.err).toContain('names the PagerDuty service PNOSUCH, which PagerDuty');
    expect(refused.code).toBe(2);
    expect(fake.writes()).toHaveLength(writes);
  });

  it('exits 2 on invalid input', async () => {
    const saved = process.env.PAGERDUTY_TOKEN;
    delete process.env.PAGERDUTY_TOKEN;
    try {
      expect((await apply(file, '--pagerduty-url', fake.baseUrl)).err).toContain('--pagerduty-token T or PAGERDUTY_TOKEN');
    } finally {
      if (saved !== undefined) process.env.PAGERDUTY_TOKEN = saved;
    }
    const cases: Array<[string[], string]> = [
      [[file, ...target(), '--user-id', 'A1', '--user-id', 'B2', '--user-id', 'C3'], '3 --user-id value(s) for 2 on-call member(s)'],
      [[file, ...target(), '--user-id', 'nthlayer:user:other:1=PX'], 'is not a user placeholder of checkout-api'],
      [[file, ...target(), '--user-id', 'not an id'], 'a PagerDuty user id is letters and digits'],
      [[file, ...target(), '--from', 'nobody'], 'is not an e-mail address'],
      [[file, ...target(), '--format', 'yaml'], '--format must be text or json'],
      [[path.join(tmp, 'absent.yaml'), ...target()], 'cannot read'],
      [[file, ...target(), '--no-such-option'], "unknown option '--no-such-option'"],
    ];
    for (const [args, message] of cases) {
      const run = await apply(...args);
      expect(run.err).toContain(message);
      expect(run.code).toBe(2);
    }
    expect(fake.requests).toEqual([]);
  });

  it('takes ids for named placeholders and the token from PAGERDUTY_TOKEN', async () => {
    const saved = process.env.PAGERDUTY_TOKEN;
    process.env.PAGERDUTY_TOKEN = fake.token;
    try {
      const { code, out } = await apply(
        file,
        '--pagerduty-url',
        fake.baseUrl,
        '--user-id',
        `nthlayer:user:team-payments:2=${grace}`,
        '--user-id',
        ada,
        '--format',
        'json',
      );
      expect(code).toBe(0);
      expect(JSON.parse(out).result.requests).toHaveLength(5);
      const [primary, secondary] = [...fake.state.schedules.values()];
      expect(primary.schedule_layers[0].users.map((u: any) => u.user.id)).toEqual([ada, grace]);
      expect(secondary.schedule_layers[0].users.map((u: any) => u.user.id)).toEqual([grace, ada]);
    } finally {
      if (saved === undefined) delete process.env.PAGERDUTY_TOKEN;
      else process.env.PAGERDUTY_TOKEN = saved;
    }
  });
});
