import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { ruleSelectors } from '../lint/ruleSelectors';
import { DependencyInput } from '../types';
import {
  mustRunPromtool,
  serviceInput,
  tempDir,
} from '../prometheus/testServices';
import { defaultAlertCataloguePath, loadAlertCatalogue } from './catalogue';
import { generateTechnologyAlerts } from './generateTechnologyAlerts';
import { resolveTechnology, technologyAlertName } from './technologyMap';

const catalogue = loadAlertCatalogue();
const dep = (name: string, technology?: string): DependencyInput => ({
  ref: `resource:default/${name}`,
  name,
  kind: 'resource',
  technology,
});
const ALL_EIGHT = [
  'postgresql',
  'mysql',
  'redis',
  'mongodb',
  'elasticsearch',
  'kafka',
  'rabbitmq',
  'nats',
];

type Rule = {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};
function generate(
  tier: 1 | 2 | 3,
  dependencies: DependencyInput[],
  overrides = {},
) {
  const input = { ...serviceInput({ tier, ...overrides }), dependencies };
  const result = generateTechnologyAlerts(input, catalogue);
  const groups = parse(result.artifacts[0].content).groups as {
    name: string;
    rules: Rule[];
  }[];
  return { result, groups };
}

describe('loadAlertCatalogue', () => {
  it('reads the shipped catalogue from the package data folder', () => {
    expect(defaultAlertCataloguePath()).toMatch(
      /nthlayer-generators[/\\]data[/\\]awesome-prometheus-alerts[/\\]rules\.yml$/,
    );
    expect(catalogue.groups.length).toBeGreaterThan(10);
  });
  it('rejects files that are not a catalogue', () => {
    const file = path.join(tempDir('catalogue-bad'), 'x.yml');
    fs.writeFileSync(file, 'foo: 1\n');
    expect(() => loadAlertCatalogue(file)).toThrow(
      /not an awesome-prometheus-alerts catalogue/,
    );
  });
});

describe('resolveTechnology', () => {
  it('maps the DESIGN technologies, aliases and other catalogue services', () => {
    for (const t of ALL_EIGHT)
      expect(resolveTechnology(catalogue, t)).toBeDefined();
    expect(resolveTechnology(catalogue, 'Postgres')?.service.name).toBe(
      'PostgreSQL',
    );
    expect(resolveTechnology(catalogue, 'mongodb')?.exporter.slug).toBe(
      'percona-mongodb-exporter',
    );
    expect(
      resolveTechnology(catalogue, 'rabbitmq', {
        rabbitmq: 'kbudde-rabbitmq-exporter',
      })?.exporter.slug,
    ).toBe('kbudde-rabbitmq-exporter');
    expect(resolveTechnology(catalogue, 'opensearch')?.service.name).toBe(
      'OpenSearch',
    );
    expect(resolveTechnology(catalogue, 'memcached')?.service.name).toBe(
      'Memcached',
    );
    expect(resolveTechnology(catalogue, 'cobol-db')).toBeUndefined();
  });
  it('names alerts in CamelCase prefixed by the technology', () => {
    expect(technologyAlertName('PostgreSQL', 'Postgresql down')).toBe(
      'PostgreSQLDown',
    );
    expect(technologyAlertName('MongoDB', 'Mgob backup failed')).toBe(
      'MongoDBMgobBackupFailed',
    );
    expect(
      technologyAlertName('MySQL', 'MySQL too many connections (> 80%)'),
    ).toBe('MySQLTooManyConnections80');
  });
});

describe('generateTechnologyAlerts', () => {
  it('writes one group per dependency with labels, for and annotations', () => {
    const { result, groups } = generate(1, [
      dep('orders-db', 'postgresql'),
      dep('cache', 'redis'),
    ]);
    expect(result.artifacts[0]).toMatchObject({
      id: 'technology-alerts',
      kind: 'technology-alerts',
      filename: 'prometheus/checkout-api-technology.rules.yaml',
      mediaType: 'application/yaml',
    });
    expect(result.artifacts[0].content).toContain('CC BY 4.0');
    expect(groups.map(g => g.name)).toEqual([
      'nthlayer-checkout-api-dependency-orders-db-postgresql',
      'nthlayer-checkout-api-dependency-cache-redis',
    ]);
    const down = groups[0].rules.find(r => r.alert === 'PostgreSQLDown')!;
    expect(down).toMatchObject({
      expr: 'pg_up == 0',
      for: '1m',
      labels: {
        severity: 'critical',
        service: 'checkout-api',
        team: 'team-payments',
        tier: '1',
        dependency: 'orders-db',
      },
      annotations: {
        runbook_url:
          'https://runbooks.example.com/checkout-api#postgresql-down',
      },
    });
    expect(down.annotations.description).toContain('{{ $value }}');
    for (const rule of groups.flatMap(g => g.rules)) {
      expect(rule.alert).toMatch(/^(PostgreSQL|Redis)[A-Za-z0-9]+$/);
      expect(rule.for).not.toMatch(/^0/);
      expect(rule.for).toMatch(/^\d+[smh]$/);
    }
    expect(result.findings).toEqual([]);
  });

  it('raises missing or zero for to 1m and keeps others', () => {
    const { groups } = generate(1, [dep('orders-db', 'postgresql')]);
    const byName = Object.fromEntries(
      groups[0].rules.map(r => [r.alert, r.for]),
    );
    expect(byName.PostgreSQLRestarted).toBe('1m'); // no "for" in the catalogue
    expect(byName.PostgreSQLReplicationLag).toBe('30s');
    expect(byName.PostgreSQLBloatIndexHigh80).toBe('1h');
  });

  it('filters by tier: 1 keeps all, 2 critical and warning, 3 critical only', () => {
    const severities = (tier: 1 | 2 | 3) =>
      new Set(
        generate(tier, [dep('db', 'mysql')]).groups[0].rules.map(
          r => r.labels.severity,
        ),
      );
    expect(severities(1)).toEqual(new Set(['critical', 'warning', 'info']));
    expect(severities(2)).toEqual(new Set(['critical', 'warning']));
    expect(severities(3)).toEqual(new Set(['critical']));
    const count = (tier: 1 | 2 | 3) =>
      generate(tier, [dep('db', 'mysql')]).groups[0].rules.length;
    expect(count(1)).toBeGreaterThan(count(2));
    expect(count(2)).toBeGreaterThan(count(3));
  });

  it('reports unknown technologies and skips dependencies without one', () => {
    const { result, groups } = generate(1, [
      dep('mainframe', 'cobol-db'),
      dep('payments-api'),
      dep('q', 'nats'),
    ]);
    expect(groups.map(g => g.name)).toEqual([
      'nthlayer-checkout-api-dependency-q-nats',
    ]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        annotation: 'nthlayer.dev/technology',
        value: 'cobol-db',
        severity: 'warning',
      }),
    ]);
  });

  it('leaves out placeholder rules and keeps alert names unique within a group', () => {
    const { groups } = generate(1, [dep('mq', 'rabbitmq')], {});
    const kbudde = generateTechnologyAlerts(
      { ...serviceInput(), dependencies: [dep('mq', 'rabbitmq')] },
      catalogue,
      {
        exporters: { rabbitmq: 'kbudde-rabbitmq-exporter' },
      },
    );
    const rules = parse(kbudde.artifacts[0].content).groups[0].rules as Rule[];
    expect(rules.some(r => r.expr.includes('my-queue'))).toBe(false);
    for (const g of [...groups, { name: 'k', rules }]) {
      const names = g.rules.map(r => r.alert);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('omits runbook_url and reports alerts/annotation without a runbook URL', () => {
    const { result, groups } = generate(1, [dep('db', 'postgresql')], {
      runbookUrl: undefined,
    });
    expect(groups[0].rules.every(r => !('runbook_url' in r.annotations))).toBe(
      true,
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^alerts\/annotation/),
      }),
    ]);
  });

  it('scopes every selector of a dependency with a selector to its own series, promtool-clean', () => {
    const scoped = { ...dep('orders-db', 'postgresql'), selector: 'instance="orders-db:9187"' };
    const { result, groups } = generate(1, [scoped, dep('session-cache', 'redis')]);
    const content = result.artifacts[0].content;
    const selectors = ruleSelectors(content);
    const pg = selectors.filter(s => s.group.includes('orders-db'));
    const redis = selectors.filter(s => s.group.includes('session-cache'));
    expect(pg.length).toBeGreaterThan(20);
    for (const s of pg) expect(s.selector).toContain('instance="orders-db:9187"');
    for (const s of redis) expect(s.selector).not.toContain('orders-db');
    expect(groups[0].rules.find(r => r.alert === 'PostgreSQLDown')?.expr).toBe('pg_up{instance="orders-db:9187"} == 0');
    expect(result.artifacts[0].description).toContain('1 of 2 groups are scoped');
    const file = path.join(tempDir('technology-scoped'), 'scoped.rules.yaml');
    fs.writeFileSync(file, content);
    expect(mustRunPromtool(['check', 'rules', file]).output).toContain('SUCCESS');
  });

  it('produces files promtool accepts for all eight technologies at every tier', () => {
    const dir = tempDir('technology');
    for (const tier of [1, 2, 3] as const) {
      const { result } = generate(
        tier,
        ALL_EIGHT.map(t => dep(`${t}-main`, t)),
      );
      const file = path.join(dir, `tier${tier}.rules.yaml`);
      fs.writeFileSync(file, result.artifacts[0].content);
      const verdict = mustRunPromtool(['check', 'rules', file]);
      expect(verdict.output).toContain('SUCCESS');
    }
  });
});
