import { SloDefinition } from '@nthlayer/backstage-plugin-common';
import { generateOpenSlo } from './generateOpenSlo';
import {
  availability,
  documents,
  expectValid,
  input,
  validate,
} from './__testUtils__/openSloTestUtils';

describe('generateOpenSlo', () => {
  it('describes the artifact', () => {
    const [artifact] = generateOpenSlo(input()).artifacts;
    expect(artifact).toMatchObject({
      id: 'openslo',
      kind: 'openslo',
      filename: 'openslo/checkout-api.yaml',
      mediaType: 'application/yaml',
    });
  });

  it('emits documents that validate against the OpenSLO v1 schema', () => {
    const docs = documents(input());
    expect(docs.map(d => d.kind)).toEqual([
      'SLO',
      'AlertPolicy',
      'AlertPolicy',
      'AlertPolicy',
      'AlertPolicy',
      'SLO',
      'AlertPolicy',
      'AlertPolicy',
      'AlertPolicy',
      'AlertPolicy',
      'AlertNotificationTarget',
      'AlertNotificationTarget',
    ]);
    docs.forEach(d => expect(d.apiVersion).toBe('openslo/v1'));
    expectValid(docs);
  });

  it('the schema rejects a broken document (the validator is live)', () => {
    const [slo] = documents(input());
    slo.spec.objectives[0].target = 99.9;
    expect(validate(slo)).toBe(false);
    const [, policy] = documents(input());
    policy.spec.conditions.push(policy.spec.conditions[0]);
    expect(validate(policy)).toBe(false);
  });

  it('writes the availability SLO with the service selector, target as ratio and window', () => {
    const slo = documents(input())[0];
    expect(slo.metadata).toMatchObject({
      name: 'checkout-api-availability',
      labels: { team: 'team-payments', tier: '1' },
      annotations: {
        'nthlayer.dev/team': 'team-payments',
        'nthlayer.dev/tier': '1',
      },
    });
    expect(slo.spec).toMatchObject({
      service: 'checkout-api',
      budgetingMethod: 'Occurrences',
      objectives: [{ target: 0.999 }],
      timeWindow: [{ duration: '30d', isRolling: true }],
    });
    const ratio = slo.spec.indicator.spec.ratioMetric;
    expect(ratio.counter).toBe(true);
    expect(ratio.good.metricSource).toEqual({
      type: 'Prometheus',
      spec: {
        query: 'sum(http_requests_total{service="checkout-api",status!~"5.."})',
      },
    });
    expect(ratio.total.metricSource.spec.query).toBe(
      'sum(http_requests_total{service="checkout-api"})',
    );
  });

  it('writes the latency SLO from the histogram with the threshold bucket', () => {
    const slo = documents(input()).find(
      d => d.metadata.name === 'checkout-api-latency',
    );
    const ratio = slo.spec.indicator.spec.ratioMetric;
    expect(ratio.good.metricSource.spec.query).toBe(
      'sum(http_request_duration_seconds_bucket{service="checkout-api",le=~"0[.]50*"})',
    );
    expect(ratio.total.metricSource.spec.query).toBe(
      'sum(http_request_duration_seconds_count{service="checkout-api"})',
    );
    expect(slo.spec.objectives[0].target).toBe(0.99);
  });

  it('uses the conventions of workers and streams and a custom selector', () => {
    const selector = 'job="billing",env="prod"';
    const worker = documents(
      input({ type: 'worker', selector, slos: [availability] }),
    )[0];
    expect(
      worker.spec.indicator.spec.ratioMetric.good.metricSource.spec.query,
    ).toBe(`sum(jobs_processed_total{${selector},status!="failed"})`);
    const stream = documents(
      input({ type: 'stream', selector, slos: [availability] }),
    )[0];
    expect(
      stream.spec.indicator.spec.ratioMetric.good.metricSource.spec.query,
    ).toBe(`sum(events_processed_total{${selector},status!="error"})`);
  });

  it('writes one alert policy per MWMBR row, referenced by the SLO', () => {
    const docs = documents(input());
    const slo = docs[0];
    const policies = docs.filter(
      d =>
        d.kind === 'AlertPolicy' &&
        slo.spec.alertPolicies.includes(d.metadata.name),
    );
    const conditions = policies.map(p => ({
      severity: p.spec.conditions[0].spec.severity,
      ...p.spec.conditions[0].spec.condition,
      target: p.spec.notificationTargets[0].targetRef,
    }));
    expect(conditions).toEqual([
      {
        severity: 'page',
        kind: 'burnrate',
        op: 'gt',
        threshold: 14.4,
        lookbackWindow: '1h',
        alertAfter: '5m',
        target: 'checkout-api-page',
      },
      {
        severity: 'page',
        kind: 'burnrate',
        op: 'gt',
        threshold: 6,
        lookbackWindow: '6h',
        alertAfter: '30m',
        target: 'checkout-api-page',
      },
      {
        severity: 'ticket',
        kind: 'burnrate',
        op: 'gt',
        threshold: 3,
        lookbackWindow: '1d',
        alertAfter: '2h',
        target: 'checkout-api-ticket',
      },
      {
        severity: 'ticket',
        kind: 'burnrate',
        op: 'gt',
        threshold: 1,
        lookbackWindow: '3d',
        alertAfter: '6h',
        target: 'checkout-api-ticket',
      },
    ]);
    expect(policies[0].metadata.name).toBe(
      'checkout-api-availability-page-1h-5m',
    );
    expect(policies[0].spec.alertWhenNoData).toBe(false);
    const targets = docs.filter(d => d.kind === 'AlertNotificationTarget');
    expect(targets.map(t => t.metadata.name)).toEqual([
      'checkout-api-page',
      'checkout-api-ticket',
    ]);
  });

  it('writes calendar windows with their time zone', () => {
    const calendar = (
      timeZone: string,
      unit: 'month' | 'week' = 'month',
    ): SloDefinition => ({
      ...availability,
      window: {
        text: unit === 'month' ? '1M' : '1W',
        minutes: 43200,
        calendar: { unit, timeZone },
      },
    });
    const berlin = documents(input({ slos: [calendar('Europe/Berlin')] }));
    expectValid(berlin);
    expect(berlin[0].spec.timeWindow).toEqual([
      {
        duration: '1M',
        isRolling: false,
        calendar: {
          startTime: '2024-01-01 00:00:00',
          timeZone: 'Europe/Berlin',
        },
      },
    ]);
    const utcWeek = documents(input({ slos: [calendar('UTC', 'week')] }));
    expectValid(utcWeek);
    expect(utcWeek[0].spec.timeWindow[0]).toMatchObject({
      duration: '1w',
      calendar: { timeZone: 'Etc/UTC' },
    });
  });

  it('reports a time zone OpenSLO cannot express', () => {
    const slo: SloDefinition = {
      ...availability,
      window: {
        text: '1M',
        minutes: 43200,
        calendar: { unit: 'month', timeZone: 'EST5EDT' },
      },
    };
    const result = generateOpenSlo(input({ slos: [slo] }));
    expect(result.findings).toEqual([
      expect.objectContaining({
        annotation: 'nthlayer.dev/slo-window',
        value: 'EST5EDT',
      }),
    ]);
  });

  it('maps names the schema would reject and drops no service', () => {
    const docs = documents(
      input({ name: 'Checkout_API', slos: [availability] }),
    );
    expectValid(docs);
    expect(docs[0].metadata.name).toBe('checkout-api-availability');
    expect(docs[0].spec.service).toBe('checkout-api');
  });

  it('generates nothing for a service without SLOs', () => {
    expect(generateOpenSlo(input({ slos: [] })).artifacts).toEqual([]);
  });
});
