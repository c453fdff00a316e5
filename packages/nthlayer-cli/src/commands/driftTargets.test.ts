import { captureOutput, freePort } from '@internal/nthlayer-test-utils';
import { GrafanaFake, PagerDutyFake, startGrafanaFake } from '@nthlayer/backstage-plugin-generators/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../index';
import { loadServiceArtifacts } from '../serviceArtifacts';

// Dashboard and PagerDuty drift through the CLI, against the loopback fakes of Grafana
// (bodies shaped like Grafana's, rewriting a dashboard on save as Grafana does) and of
// PagerDuty (requests and answers checked against PagerDuty's contract).
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

let tmp: string;
let file: string;
let dashboard: Record<string, any>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nthlayer-drift-targets-'));
  file = path.join(tmp, 'checkout-api.service.yaml');
  fs.writeFileSync(file, SERVICE);
  const loaded = await loadServiceArtifacts(file, { kinds: ['grafana-dashboard'] });
  if ('reason' in loaded) throw new Error(loaded.reason);
  dashboard = JSON.parse(loaded.artifacts[0].content);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

async function drift(...args: string[]) {
  const { out, err } = captureOutput();
  const code = await main(['node', 'nthlayer', 'drift', ...args]);
  jest.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

async function withEnv<T>(name: string, value: string | undefined, run: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

describe('nthlayer drift --grafana', () => {
  let grafana: GrafanaFake;
  beforeEach(async () => {
    grafana = await startGrafanaFake();
  });
  afterEach(() => grafana.close());

  it('finds no drift in the dashboard as Grafana saved it, and a deleted panel (exit 0, then 1)', async () => {
    grafana.save(dashboard);
    const clean = await withEnv('GRAFANA_TOKEN', grafana.token, () =>
      drift(file, '--grafana', grafana.baseUrl, '--format', 'json'),
    );
    const json = JSON.parse(clean.out);
    expect(json.findings).toEqual([]);
    expect(json.reports[0].targets.map((t: any) => [t.target, t.state])).toEqual([
      ['rules', 'not-configured'],
      ['dashboard', 'checked'],
      ['pagerduty', 'not-configured'],
    ]);
    expect(clean.code).toBe(0);
    expect(grafana.requests.map(r => [r.method, r.url, r.authorization])).toEqual([
      ['GET', `/api/dashboards/uid/${dashboard.uid}`, `Bearer ${grafana.token}`],
    ]);

    // Someone deletes a panel in Grafana's UI and saves.
    const stored = grafana.stored(dashboard.uid)!;
    const index = stored.panels.findIndex((p: any) => p.type !== 'row');
    const [deleted] = stored.panels.splice(index, 1);
    grafana.save(stored);
    const edited = await drift(file, '--grafana', grafana.baseUrl, '--grafana-token', grafana.token);
    expect(edited.out).toContain(`  dashboard checked ${grafana.baseUrl}`);
    expect(edited.out).toContain(`    warning  missing ${deleted.title}`);
    expect(edited.out).toContain(`Panel "${deleted.title}"`);
    expect(edited.out).toContain('drift: warnings (exit 1)');
    expect(edited.code).toBe(1);
  });

  it('reports a dashboard Grafana does not have as critical (exit 2)', async () => {
    const { code, out } = await drift(file, '--grafana', grafana.baseUrl, '--grafana-token', grafana.token);
    expect(out).toContain(`    critical missing ${dashboard.uid}`);
    expect(code).toBe(2);
  });

  it('exits 3 when Grafana is down or refuses the token', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await drift(file, '--grafana', url, '--grafana-token', 't');
    expect(down.out).toContain(`  dashboard UNREACHABLE ${url}: Grafana at ${url} is unreachable (GET /api/dashboards/uid/${dashboard.uid}): ECONNREFUSED`);
    expect(down.code).toBe(3);

    const refused = await drift(file, '--grafana', grafana.baseUrl, '--grafana-token', 'wrong');
    expect(refused.out).toContain('  dashboard UNREACHABLE');
    expect(refused.out).toContain('(HTTP 401: invalid API key)');
    expect(refused.code).toBe(3);
  });
});

describe('nthlayer drift --pagerduty-token', () => {
  let fake: PagerDutyFake;
  beforeEach(async () => {
    fake = await PagerDutyFake.start();
  });
  afterEach(() => fake.close());

  it('checks what apply created, then a hand-changed escalation delay (exit 0, then 1)', async () => {
    const ada = fake.addUser('Ada');
    const grace = fake.addUser('Grace');
    const pd = ['--pagerduty-token', fake.token, '--pagerduty-url', fake.baseUrl];
    captureOutput();
    expect(await main(['node', 'nthlayer', 'apply', 'pagerduty', file, ...pd, '--user-id', ada, '--user-id', grace])).toBe(0);
    jest.restoreAllMocks();

    const writes = fake.writes().length;
    const clean = await drift(file, ...pd, '--format', 'json');
    expect(JSON.parse(clean.out).findings).toEqual([]);
    expect(clean.code).toBe(0);
    // Drift only reads.
    expect(fake.writes()).toHaveLength(writes);

    const [policy] = [...fake.state.escalation_policies.values()];
    policy.escalation_rules[1].escalation_delay_in_minutes = 45;
    const edited = await withEnv('PAGERDUTY_TOKEN', fake.token, () =>
      drift(file, '--pagerduty', '--pagerduty-url', fake.baseUrl, '--format', 'json'),
    );
    expect(JSON.parse(edited.out).findings).toEqual([
      expect.objectContaining({
        service: 'checkout-api',
        target: 'pagerduty',
        severity: 'warning',
        kind: 'changed',
        field: 'escalation_rules[1].escalation_delay_in_minutes',
        expected: '5',
        actual: '45',
      }),
    ]);
    expect(edited.code).toBe(1);
  });

  it('reports what PagerDuty lacks, and exits 3 when it cannot be read', async () => {
    const pd = ['--pagerduty-token', fake.token, '--pagerduty-url', fake.baseUrl];
    const empty = await drift(file, ...pd);
    expect(empty.out).toMatch(/critical missing service/);
    expect(empty.code).toBe(2);

    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await drift(file, '--pagerduty-token', 't', '--pagerduty-url', url);
    expect(down.out).toContain(`  pagerduty UNREACHABLE: PagerDuty GET`);
    expect(down.out).toContain(`${url} is unreachable (ECONNREFUSED)`);
    expect(down.code).toBe(3);
  });
});

describe('nthlayer drift could not check (exit 3)', () => {
  it('without a target, with a token or header for none, an unusable format, file or option', async () => {
    await withEnv('GRAFANA_TOKEN', undefined, () =>
      withEnv('PAGERDUTY_TOKEN', undefined, async () => {
        const cases: Array<[string[], string]> = [
          [[file], 'name at least one target to check: --prometheus URL, --grafana URL'],
          [[file, '--grafana', 'http://127.0.0.1:1'], '--grafana needs a service account token: --grafana-token T or GRAFANA_TOKEN'],
          [[file, '--grafana-token', 't'], '--grafana-token needs --grafana URL'],
          [[file, '--prometheus-header', 'X-Scope-OrgID: a'], '--prometheus-header needs --prometheus URL'],
          [[file, '--pagerduty'], 'PagerDuty needs a REST API key: --pagerduty-token T or PAGERDUTY_TOKEN'],
          [[file, '--prometheus', 'localhost:9090'], 'is not an http(s) URL'],
          [[file, '--prometheus', 'http://127.0.0.1:1', '--prometheus-header', 'no colon'], "must look like 'Name: value'"],
          [[file, '--prometheus', 'http://127.0.0.1:1', '--format', 'yaml'], '--format must be text, json or markdown'],
          [[file, '--prometheus', 'http://127.0.0.1:1', '--timeout', '0'], 'is not a positive number of milliseconds'],
          [[path.join(tmp, 'absent.yaml'), '--prometheus', 'http://127.0.0.1:1'], 'cannot read'],
          [[fs.mkdtempSync(path.join(tmp, 'empty-')), '--prometheus', 'http://127.0.0.1:1'], 'no service files (*.yaml, *.yml) in'],
          [[file, '--no-such-option'], "unknown option '--no-such-option'"],
          [[], "missing required argument 'service-file|dir'"],
        ];
        for (const [args, message] of cases) {
          const run = await drift(...args);
          expect(run.err).toContain(message);
          expect(run.code).toBe(3);
        }
      }),
    );
  });

  it('when a service file of a directory cannot be used, unless critical drift was found', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'mixed-'));
    fs.writeFileSync(path.join(dir, 'a.service.yaml'), SERVICE);
    fs.writeFileSync(path.join(dir, 'b.service.yaml'), 'service:\n  name: broken\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not YAML, not read');
    const grafana = await startGrafanaFake();
    try {
      grafana.save(dashboard);
      const args = [dir, '--grafana', grafana.baseUrl, '--grafana-token', grafana.token];
      const run = await drift(...args, '--format', 'json');
      const json = JSON.parse(run.out);
      expect(json.reports.map((r: any) => r.service)).toEqual(['checkout-api']);
      expect(json.unchecked).toEqual([
        expect.objectContaining({ file: path.join(dir, 'b.service.yaml'), reason: `${path.join(dir, 'b.service.yaml')}: nothing generated` }),
      ]);
      expect(run.err).toContain('b.service.yaml: error');
      expect(run.code).toBe(3);

      // Critical drift in what could be checked wins: exit 2.
      fs.writeFileSync(path.join(dir, 'c.service.yaml'), SERVICE.replace('checkout-api', 'orders-api'));
      expect((await drift(...args)).code).toBe(2);
    } finally {
      await grafana.close();
    }
  });
});
