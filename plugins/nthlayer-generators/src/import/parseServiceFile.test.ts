import { LEGACY, OPENSRM } from '../testing/serviceFiles';
import { parseServiceFile } from './parseServiceFile';

describe('parseServiceFile', () => {
  it('reads the legacy format', () => {
    const { file, findings } = parseServiceFile(LEGACY);
    expect(findings).toEqual([]);
    expect(file).toMatchObject({
      format: 'legacy',
      name: 'checkout-api',
      team: 'team-payments',
      tier: 1,
      type: 'api',
      gate: { warningPercent: 30, blockingPercent: 5 },
      pagerduty: { serviceId: 'PABC123', urgency: 'high' },
    });
    expect(file!.slos).toEqual([
      expect.objectContaining({ kind: 'availability', targetPercent: 99.95, window: '28d' }),
      expect.objectContaining({
        kind: 'latency',
        targetPercent: 99,
        latency: { percentile: 99, thresholdMs: 300 },
      }),
    ]);
    expect(file!.dependencies.map(d => [d.name, d.category, d.technology, d.critical, d.slaPercent])).toEqual([
      ['orders-db', 'database', 'postgresql', true, 99.95],
      ['session-cache', 'cache', 'redis', false, undefined],
      ['payment-api', 'service', undefined, true, 99.9],
      ['stripe', 'external', undefined, undefined, 99.9],
    ]);
  });

  it('reads the OpenSRM format', () => {
    const { file, findings } = parseServiceFile(OPENSRM);
    expect(findings).toEqual([]);
    expect(file).toMatchObject({
      format: 'opensrm',
      name: 'checkout-api',
      team: 'team-payments',
      tier: 1,
      type: 'api',
      runbookUrl: 'https://runbooks.example.com/checkout-api',
      gate: { blockingPercent: 10 },
      pagerduty: { serviceId: 'PABC123' },
    });
    expect(file!.slos).toEqual([
      expect.objectContaining({ kind: 'availability', targetPercent: 99.95, window: '30d' }),
      expect.objectContaining({
        kind: 'latency',
        targetPercent: 99,
        latency: { percentile: 99, thresholdMs: 250 },
      }),
    ]);
    expect(file!.dependencies.map(d => [d.name, d.category, d.technology, d.critical, d.slaPercent])).toEqual([
      ['orders-db', 'database', 'postgresql', true, 99.99],
      ['events-bus', 'queue', 'kafka', false, undefined],
      ['stripe', 'external', undefined, true, 99.9],
    ]);
  });

  it('turns bad YAML into one finding with the line, never an exception', () => {
    const { file, findings } = parseServiceFile('service:\n  name: [unclosed\n  tier: 1\n');
    expect(file).toBeNull();
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        annotation: 'nthlayer.dev/service-file',
        value: expect.stringMatching(/^line \d+/),
        accepted: 'a valid YAML document',
      }),
    ]);
  });

  it('rejects documents that are not service files', () => {
    expect(parseServiceFile('- a\n- b\n').file).toBeNull();
    const other = parseServiceFile('apiVersion: backstage.io/v1alpha1\nkind: Component\n');
    expect(other.file).toBeNull();
    expect(other.findings[0].accepted).toMatch(/srm\/v1/);
    expect(parseServiceFile('').findings).toHaveLength(1);
  });

  it('reports each malformed part with its path and position and keeps the rest', () => {
    const { file, findings } = parseServiceFile(`
service: { name: checkout-api, team: 42, tier: gold, type: lambda }
resources:
  - kind: SLO
    name: availability
    spec: { objective: 100, window: 30d }
  - kind: SLO
    name: latency
    spec: { objective: "fast", indicator: { type: latency, threshold_ms: 200 } }
  - kind: SLO
    name: avail-2
    spec: { objective: 99.5, window: forever }
  - kind: Canary
    name: nope
    spec: {}
  - kind: Dependencies
    spec:
      databases: [{ name: orders-db, type: postgres, sla: 101 }]
      clouds: [aws]
  - kind: DeploymentGate
    spec: { thresholds: { warning: -1, blocking: 5 } }
  - just a string
`);
    expect(file).not.toBeNull();
    const byValue = Object.fromEntries(findings.map(f => [f.value, f]));
    expect(Object.keys(byValue)).toEqual(
      expect.arrayContaining([
        'service.team (line 2, column 38)',
        'service.tier (line 2, column 48)',
        'service.type (line 2, column 60)',
        'resources[0].spec.objective (line 6, column 24)',
        'resources[1].spec.objective (line 9, column 24)',
        'resources[2].spec.window (line 12, column 38)',
        'resources[3].kind (line 13, column 11)',
        'resources[4].spec.databases[0].sla (line 18, column 59)',
        'resources[4].spec.clouds (line 19, column 15)',
        'resources[5].spec.thresholds.warning (line 21, column 36)',
        'resources[6] (line 22, column 5)',
      ]),
    );
    expect(byValue['resources[0].spec.objective (line 6, column 24)'].accepted).toMatch(/less than 100/);
    expect(byValue['resources[3].kind (line 13, column 11)'].accepted).toBe(
      'SLO, Dependencies, PagerDuty, DeploymentGate, Observability',
    );
    for (const f of findings) expect(f.annotation).toBe('nthlayer.dev/service-file');
    // What was valid survives.
    expect(file).toMatchObject({ name: 'checkout-api', gate: { blockingPercent: 5 } });
    expect(file!.tier).toBeUndefined();
    // A bad window drops only the window: the tier default applies.
    expect(file!.slos).toEqual([expect.objectContaining({ name: 'avail-2', window: undefined })]);
    expect(file!.dependencies).toEqual([expect.objectContaining({ name: 'orders-db', slaPercent: undefined })]);
  });

  it('reports wrong types and out-of-range targets in OpenSRM files', () => {
    const { file, findings } = parseServiceFile(`
apiVersion: srm/v1
kind: ServiceReliabilityManifest
metadata: { name: checkout-api, tier: 7 }
spec:
  type: api
  slos:
    availability: { target: 100.0 }
    error_rate: { target: 0.1 }
    latency: { target: -5, percentile: p99 }
  dependencies: { orders-db: postgresql }
  deployment: { gates: { error_budget: { threshold: 10 } } }
`);
    const values = findings.map(f => f.value);
    expect(values).toEqual(
      expect.arrayContaining([
        'metadata.tier (line 4, column 39)',
        'spec.slos.availability.target (line 8, column 29)',
        'spec.slos.error_rate (line 9, column 17)',
        'spec.slos.latency.target (line 10, column 24)',
        'spec.dependencies (line 11, column 17)',
        'spec.deployment.gates.error_budget.threshold (line 12, column 53)',
      ]),
    );
    expect(file!.slos).toEqual([]);
  });

  it('keeps one SLO per kind; a query that is not a ratio of counters is an error at its path', () => {
    const { file, findings } = parseServiceFile(`
service: { name: a, tier: 2 }
resources:
  - { kind: SLO, name: availability, spec: { objective: 99.9, indicator: { query: "sum(rate(x_total[5m]))" } } }
  - { kind: SLO, name: availability-2, spec: { objective: 99.5 } }
`);
    expect(file!.slos).toHaveLength(1);
    expect(file!.slos[0].customSli).toBeUndefined();
    expect(findings.map(f => [f.severity, f.value])).toEqual([
      ['error', 'resources[0].spec.indicator.query (line 4, column 83)'],
      ['warning', 'resources[1] (line 5, column 5)'],
    ]);
    expect(findings[0].message).toContain('not a ratio of two counters');
    // The query itself is not echoed (the file is read with the backend's credentials).
    expect(findings[0].message).not.toContain('x_total');
  });
});

describe('parseServiceFile: the file\'s own SLI queries', () => {
  const legacy = (indicator: string) => `
service: { name: a, tier: 2 }
resources:
  - kind: SLO
    name: availability
    spec:
      objective: 99.9
      indicator:
${indicator}
`;

  it('reads success_ratio good/total counters, unwrapping sum(rate(…[5m])) with a warning', () => {
    const { file, findings } = parseServiceFile(legacy(`        success_ratio:
          good_query: orders_total{app="a",result="ok"}
          total_query: sum(rate(orders_total{app="a"}[5m]))`));
    expect(file!.slos[0].customSli).toEqual({ good: 'orders_total{app="a",result="ok"}', total: 'orders_total{app="a"}' });
    expect(findings.map(f => [f.severity, f.value])).toEqual([
      ['warning', 'resources[0].spec.indicator.success_ratio.total_query (line 11, column 24)'],
    ]);
    expect(findings[0].message).toMatch(/range/);
  });

  it('reads one good / total ratio query, and 1 - bad / total', () => {
    const good = parseServiceFile(legacy(`        query: sum(rate(orders_total{app="a",code!~"5.."}[5m])) / sum(rate(orders_total{app="a"}[5m]))`));
    expect(good.file!.slos[0].customSli).toEqual({ good: 'orders_total{app="a",code!~"5.."}', total: 'orders_total{app="a"}' });
    const bad = parseServiceFile(legacy(`        query: 1 - (sum(orders_total{app="a",code=~"5.."}) / sum(orders_total{app="a"}))`));
    expect(bad.file!.slos[0].customSli).toEqual({ bad: 'orders_total{app="a",code=~"5.."}', total: 'orders_total{app="a"}' });
  });

  it.each([
    ['a range vector', 'good_query: orders_total{app="a"}[5m]', /range/],
    ['a gauge', 'good_query: up{app="a"}', /not a counter/],
    ['a syntax error', 'good_query: orders_total{app=', /not valid PromQL/],
  ])('refuses %s with an error naming the path, and measures from the resolved family', (_, line, problem) => {
    const { file, findings } = parseServiceFile(legacy(`        success_ratio:
          ${line}
          total_query: orders_total{app="a"}`));
    expect(file!.slos[0].customSli).toBeUndefined();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', value: expect.stringContaining('success_ratio.good_query') });
    expect(findings[0].message).toMatch(problem);
  });

  it('needs both good_query and total_query', () => {
    const { file, findings } = parseServiceFile(legacy(`        success_ratio: { good_query: 'orders_total{app="a"}' }`));
    expect(file!.slos[0].customSli).toBeUndefined();
    expect(findings.map(f => f.value)).toEqual([expect.stringContaining('success_ratio.total_query')]);
  });

  it('reads OpenSRM slos.availability.query; a latency query is a warning (quantiles have no events)', () => {
    const { file, findings } = parseServiceFile(`
apiVersion: srm/v1
kind: ServiceReliabilityManifest
metadata: { name: a, tier: tier-2 }
spec:
  type: api
  slos:
    availability: { target: 99.9, query: 'sum(rate(orders_total{app="a",code!~"5.."}[5m])) / sum(rate(orders_total{app="a"}[5m]))' }
    latency: { target: 300, unit: ms, percentile: p95, query: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))' }
`);
    expect(file!.slos.map(s => [s.kind, s.customSli])).toEqual([
      ['availability', { good: 'orders_total{app="a",code!~"5.."}', total: 'orders_total{app="a"}' }],
      ['latency', undefined],
    ]);
    expect(findings.map(f => [f.severity, f.value])).toEqual([
      ['warning', expect.stringContaining('spec.slos.availability.query')],
      ['warning', expect.stringContaining('spec.slos.latency.query')],
    ]);
  });
});

describe('parseServiceFile on hostile files', () => {
  const manyKeys = (count: number) => {
    let text = 'service: { name: checkout-api, tier: 1 }\nresources: []\nextra:\n';
    for (let i = 0; i < count; i++) text += `  key${i}: value${i}\n`;
    return text;
  };

  it('parses in time linear in the number of keys (the quadratic duplicate-key check took seconds at 20,000)', () => {
    const small = manyKeys(2_000);
    const large = manyKeys(20_000);
    const { file, findings } = parseServiceFile(large);
    expect(findings).toEqual([]);
    expect(file).toMatchObject({ name: 'checkout-api', tier: 1 });
    // The best of three runs each, after the warm-up above: 10× the keys costs about 10× the
    // time when linear and 100× when quadratic, whatever the machine's speed or load.
    const best = (text: string) =>
      Math.min(
        ...[0, 1, 2].map(() => {
          const start = performance.now();
          parseServiceFile(text);
          return performance.now() - start;
        }),
      );
    const ratio = best(large) / best(small);
    expect(ratio).toBeLessThan(30);
  });

  it('still reports duplicate keys, in nested mappings too, with the key and its position', () => {
    const { file, findings } = parseServiceFile(
      'service:\n  name: a\n  tier: 1\nresources:\n  - kind: SLO\n    spec: { objective: 99, objective: 98 }\n',
    );
    expect(file).toBeNull();
    expect(findings).toEqual([
      expect.objectContaining({
        value: 'line 6, column 28: Map keys must be unique: "objective" is repeated',
        accepted: 'a valid YAML document',
      }),
    ]);
    expect(parseServiceFile('service: { name: a }\nservice: { name: b }\n').findings[0].value).toBe(
      'line 2, column 1: Map keys must be unique: "service" is repeated',
    );
    // 1 and "1" are different keys, as for the yaml library's own check.
    expect(parseServiceFile('service: { name: a, tier: 1 }\nx: { 1: a, "1": b }\n').findings).toEqual([]);
  });

  it('echoes keys and positions, never values of the file', () => {
    const secret = 's3cr3t-token-value';
    const { findings } = parseServiceFile(`
service: { name: checkout-api, team: ${secret}, tier: ${secret}, type: ${secret}, runbook_url: ${secret} }
resources:
  - { kind: ${secret}, spec: {} }
  - { kind: Dependencies, spec: { ${secret}: [${secret}], databases: [{ name: db, sla: ${secret} }] } }
  - ${secret}
`);
    expect(findings.length).toBeGreaterThanOrEqual(6);
    const body = JSON.stringify(findings);
    // The one key named like the secret is a name, so it may be shown: as a path, never as a value.
    expect(body.split(secret).length - 1).toBe(2);
    expect(findings.map(f => f.value)).toEqual(
      expect.arrayContaining([
        'service.tier (line 2, column 64)',
        'resources[0].kind (line 4, column 13)',
        `resources[1].spec.${secret} (line 5, column 55)`,
        'resources[2] (line 6, column 5)',
      ]),
    );
    const other = parseServiceFile(`apiVersion: v1\nkind: ConfigMap\ndata: { password: ${secret} }\n`);
    expect(other.findings).toHaveLength(1);
    expect(JSON.stringify(other.findings)).not.toContain(secret);
    expect(other.findings[0].message).toContain('a mapping with keys apiVersion, kind, data');
  });

  it('cuts long keys in findings and says how long they were', () => {
    const name = 'k'.repeat(5000);
    const { findings } = parseServiceFile(`? ${name}\n: 1\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(`a mapping with keys ${'k'.repeat(120)}… (5000 characters)`);
    expect(JSON.stringify(findings).length).toBeLessThan(1000);
  });

  it('accepts a runbook URL only as one http(s) URL', () => {
    const ok = parseServiceFile('service: { name: a, tier: 1, runbook_url: "https://runbooks.example.com/a" }\n');
    expect(ok.file!.runbookUrl).toBe('https://runbooks.example.com/a');
    const bad = parseServiceFile('service: { name: a, tier: 1, runbook_url: "javascript:alert(1)" }\n');
    expect(bad.file!.runbookUrl).toBeUndefined();
    expect(bad.findings).toEqual([
      expect.objectContaining({ value: 'service.runbook_url (line 1, column 43)', accepted: expect.stringMatching(/http\(s\) URL/) }),
    ]);
  });
});
