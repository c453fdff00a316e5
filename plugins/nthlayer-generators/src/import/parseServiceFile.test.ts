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

  it('reports each malformed part with its path and value and keeps the rest', () => {
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
        'service.team: 42',
        'service.tier: gold',
        'service.type: lambda',
        'resources[0].spec.objective: 100',
        'resources[1].spec.objective: fast',
        'resources[2].spec.window: forever',
        'resources[3].kind: Canary',
        'resources[4].spec.databases[0].sla: 101',
        'resources[4].spec.clouds: ["aws"]',
        'resources[5].spec.thresholds.warning: -1',
        'resources[6]: just a string',
      ]),
    );
    expect(byValue['resources[0].spec.objective: 100'].accepted).toMatch(/less than 100/);
    expect(byValue['resources[3].kind: Canary'].accepted).toBe(
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
        'metadata.tier: 7',
        'spec.slos.availability.target: 100',
        'spec.slos.error_rate: error_rate',
        'spec.slos.latency.target: -5',
        'spec.dependencies: {"orders-db":"postgresql"}',
        'spec.deployment.gates.error_budget.threshold: 10',
      ]),
    );
    expect(file!.slos).toEqual([]);
  });

  it('keeps one SLO per kind and says the file\'s own PromQL is not used', () => {
    const { file, findings } = parseServiceFile(`
service: { name: a, tier: 2 }
resources:
  - { kind: SLO, name: availability, spec: { objective: 99.9, indicator: { query: "sum(rate(x[5m]))" } } }
  - { kind: SLO, name: availability-2, spec: { objective: 99.5 } }
`);
    expect(file!.slos).toHaveLength(1);
    expect(findings.map(f => [f.severity, f.value])).toEqual([
      ['warning', 'resources[1]: availability-2'],
      ['warning', 'resources[0]: availability'],
    ]);
  });
});
