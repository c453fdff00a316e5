import { parseNthlayerService, sliSelectors } from '@nthlayer/backstage-plugin-common';
import { LEGACY, OPENSRM } from '../testing/serviceFiles';
import { DependencyInput } from '../types';
import { applyServiceFile } from './applyServiceFile';
import { parseServiceFile } from './parseServiceFile';
import { serviceInputFromFile } from './serviceFromFile';

function entityService(annotations: Record<string, string> = {}, owner = 'group:default/team-payments') {
  return parseNthlayerService({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-api',
      namespace: 'default',
      annotations: { 'nthlayer.dev/tier': '1', ...annotations },
    },
    spec: { type: 'service', owner, dependsOn: ['resource:default/orders-db', 'component:default/payment-api'] },
  }).service!;
}

const catalogDeps: DependencyInput[] = [
  { ref: 'resource:default/orders-db', name: 'orders-db', kind: 'resource', technology: 'mysql' },
  { ref: 'component:default/payment-api', name: 'payment-api', kind: 'component', tier: 1, availabilityPercent: 99.9 },
];

describe('applyServiceFile', () => {
  it('measures an SLO from the file\'s own counters: the rules, OpenSLO and dashboards query them', () => {
    const { file } = parseServiceFile(`
service: { name: checkout-api, team: team-payments, tier: 1 }
resources:
  - kind: SLO
    name: availability
    spec:
      objective: 99.9
      indicator:
        success_ratio:
          good_query: checkout_orders_total{app="checkout",result="ok"}
          total_query: checkout_orders_total{app="checkout"}
`);
    const { service } = applyServiceFile(entityService(), file!);
    const availability = service.slos.find(s => s.kind === 'availability')!;
    expect(sliSelectors(service, availability)).toMatchObject({
      good: 'checkout_orders_total{app="checkout",result="ok"}',
      total: 'checkout_orders_total{app="checkout"}',
      candidate: { preset: 'custom' },
    });
    // The latency SLO has no query of its own: the resolved family (here the convention).
    const latency = service.slos.find(s => s.kind === 'latency')!;
    expect(sliSelectors(service, latency).candidate.preset).toBe('nthlayer');
  });

  it.each([
    ['legacy', LEGACY, 28],
    ['OpenSRM', OPENSRM, 30],
  ])('overrides SLOs and enriches dependencies from a %s file', (_format, text, windowDays) => {
    const { file } = parseServiceFile(text);
    const result = applyServiceFile(entityService({ 'nthlayer.dev/slo-availability': '99.5' }), file!, catalogDeps);
    expect(result.findings).toEqual([]);
    expect(result.service).toMatchObject({ name: 'checkout-api', tier: 1, owner: 'group:default/team-payments' });
    expect(result.service.slos).toEqual([
      expect.objectContaining({
        name: 'availability',
        targetPercent: 99.95,
        source: 'service-file',
        window: expect.objectContaining({ text: `${windowDays}d` }),
      }),
      expect.objectContaining({
        name: 'latency',
        kind: 'latency',
        targetPercent: 99,
        source: 'service-file',
        latency: expect.objectContaining({ percentile: 99 }),
      }),
    ]);
    // The annotation's 99.5 % is gone, not kept beside the file's SLO.
    expect(result.service.slos.map(s => s.targetPercent)).not.toContain(99.5);
    const ordersDb = result.dependencies.filter(d => d.name === 'orders-db');
    expect(ordersDb).toEqual([
      expect.objectContaining({ ref: 'resource:default/orders-db', technology: 'postgresql', critical: true }),
    ]);
    // The catalog's technology of orders-db (mysql) is replaced by the file's, not kept.
    expect(result.dependencies.map(d => d.technology)).not.toContain('mysql');
    expect(result.dependencies.find(d => d.name === 'stripe')).toMatchObject({
      ref: 'external:stripe',
      kind: 'external',
      availabilityPercent: 99.9,
    });
    expect(result.gate).toBeDefined();
    expect(result.pagerduty).toMatchObject({ serviceId: 'PABC123' });
  });

  it('keeps the entity\'s identity and reports every conflict', () => {
    const { file } = parseServiceFile(`
service: { name: checkout, team: team-web, tier: low, type: worker }
resources: []
`);
    const result = applyServiceFile(entityService(), file!, catalogDeps);
    expect(result.service).toMatchObject({ name: 'checkout-api', tier: 1, type: 'api' });
    expect(result.findings.map(f => [f.severity, f.value, f.accepted])).toEqual([
      ['warning', 'service.name', 'the value of the catalog entity (metadata.name): checkout-api'],
      ['warning', 'service.team', 'the value of the catalog entity (spec.owner): team-payments'],
      ['warning', 'service.tier', 'the value of the catalog entity (nthlayer.dev/tier): 1'],
      ['warning', 'service.type', 'the value of the catalog entity (nthlayer.dev/type): api'],
    ]);
  });

  it('ignores a latency SLO on a worker, with a finding', () => {
    const { file } = parseServiceFile(LEGACY.replace('type: api', 'type: worker'));
    const result = applyServiceFile(entityService({ 'nthlayer.dev/type': 'worker' }), file!);
    expect(result.service.slos.map(s => s.name)).toEqual(['availability']);
    expect(result.findings).toEqual([
      expect.objectContaining({ value: 'resources[1]', severity: 'warning' }),
    ]);
  });

  it('flags service dependencies the catalog does not know', () => {
    const { file } = parseServiceFile(`
service: { name: checkout-api, tier: 1 }
resources:
  - kind: Dependencies
    spec: { services: [{ name: ledger-api, criticality: high }] }
`);
    const result = applyServiceFile(entityService(), file!, catalogDeps);
    expect(result.dependencies.map(d => d.ref)).toEqual([
      'resource:default/orders-db',
      'component:default/payment-api',
      'external:ledger-api',
    ]);
    expect(result.findings).toEqual([expect.objectContaining({ value: 'resources[0].spec.services[0]' })]);
  });
});

describe('serviceInputFromFile', () => {
  it.each([
    ['legacy', LEGACY],
    ['OpenSRM', OPENSRM],
  ])('builds the generator input from a %s file alone', (_format, text) => {
    const { input, findings } = serviceInputFromFile(parseServiceFile(text).file!);
    expect(findings).toEqual([]);
    expect(input).toMatchObject({
      team: 'team-payments',
      service: { name: 'checkout-api', entityRef: 'component:default/checkout-api', tier: 1, type: 'api' },
      pagerduty: { serviceId: 'PABC123' },
    });
    expect(input!.dependencies.find(d => d.name === 'orders-db')).toMatchObject({
      kind: 'resource',
      technology: 'postgresql',
    });
  });

  it('needs a name and a tier', () => {
    const { input, findings } = serviceInputFromFile(parseServiceFile('service: { team: a }\n').file!);
    expect(input).toBeNull();
    expect(findings.map(f => f.value)).toEqual(['service.name', 'service.tier']);
  });
});
