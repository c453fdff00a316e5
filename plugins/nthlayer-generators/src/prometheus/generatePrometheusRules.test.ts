import { parse } from 'yaml';
import { generatePrometheusRules } from './generatePrometheusRules';
import { SAMPLE_INPUTS, serviceInput } from './testServices';

type Rule = {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
};

function groupsOf(input = serviceInput(), options = {}) {
  const result = generatePrometheusRules(input, options);
  const doc = parse(result.artifacts[0].content) as {
    groups: { name: string; rules: Rule[] }[];
  };
  return { result, groups: doc.groups };
}

describe('generatePrometheusRules', () => {
  it('describes one artifact per service', () => {
    const { result } = groupsOf();
    expect(result.artifacts).toHaveLength(1);
    expect(result.artifacts[0]).toMatchObject({
      id: 'prometheus-slo-rules',
      kind: 'prometheus-rules',
      filename: 'prometheus/checkout-api-slo.rules.yaml',
      mediaType: 'application/yaml',
    });
    expect(result.findings).toEqual([]);
  });

  it('records the error ratio over every burn window and the SLO window, per SLO', () => {
    const { groups } = groupsOf();
    expect(groups.map(g => g.name)).toEqual([
      'nthlayer-checkout-api-availability',
      'nthlayer-checkout-api-latency',
    ]);
    const records = (i: number) =>
      groups[i].rules.filter(r => r.record).map(r => r.record);
    const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
    expect(records(0)).toEqual(
      [...windows, '30d'].map(w => `nthlayer:slo_error:ratio_rate${w}`),
    );
    expect(records(1)).toEqual(
      [...windows, '28d'].map(w => `nthlayer:slo_error:ratio_rate${w}`),
    );
    for (const rule of groups[0].rules.filter(r => r.record)) {
      expect(rule.labels).toEqual({
        service: 'checkout-api',
        slo: 'availability',
        team: 'team-payments',
        tier: '1',
      });
    }
  });

  it('builds availability and latency ratios from the service selector with sum(rate)', () => {
    const { groups } = groupsOf();
    const avail1h = groups[0].rules.find(
      r => r.record === 'nthlayer:slo_error:ratio_rate1h',
    )!;
    expect(avail1h.expr).toBe(
      '1 - ((sum(rate(http_requests_total{service="checkout-api",status!~"5.."}[1h])) or vector(0))' +
        ' / (sum(rate(http_requests_total{service="checkout-api"}[1h])) > 0))',
    );
    const lat5m = groups[1].rules.find(
      r => r.record === 'nthlayer:slo_error:ratio_rate5m',
    )!;
    expect(lat5m.expr).toContain(
      'sum(rate(http_request_duration_seconds_bucket{service="checkout-api",le=~"0[.]50*"}[5m]))',
    );
    expect(lat5m.expr).toContain(
      '(sum(rate(http_request_duration_seconds_count{service="checkout-api"}[5m])) > 0)',
    );
  });

  it('uses the conventions of workers and streams and custom selectors', () => {
    const worker = groupsOf(SAMPLE_INPUTS.worker).groups[0].rules[0];
    expect(worker.expr).toContain(
      'jobs_processed_total{service="billing-worker",status!="failed"}[5m]',
    );
    const stream = groupsOf(SAMPLE_INPUTS.stream).groups[0].rules[0];
    expect(stream.expr).toContain(
      'events_processed_total{service="events-stream",status!="error"}[5m]',
    );
    const custom = groupsOf(SAMPLE_INPUTS.custom).groups[0].rules[0];
    expect(custom.expr).toContain(
      'http_requests_total{app="search",env=~"prod|production",status!="health"}[5m]',
    );
    expect(custom.labels.service).toBe('search-api');
  });

  it('writes one NthlayerErrorBudgetBurn alert per MWMBR row', () => {
    const { groups } = groupsOf();
    const alerts = groups[0].rules.filter(r => r.alert);
    expect(alerts.map(a => a.alert)).toEqual(
      Array(4).fill('NthlayerErrorBudgetBurn'),
    );
    expect(
      alerts.map(a => [
        a.labels.severity,
        a.labels.long_window,
        a.labels.short_window,
      ]),
    ).toEqual([
      ['page', '1h', '5m'],
      ['page', '6h', '30m'],
      ['ticket', '1d', '2h'],
      ['ticket', '3d', '6h'],
    ]);
    const thresholds = alerts.map(a =>
      [...a.expr.matchAll(/> ([0-9.]+)/g)].map(m => Number(m[1])),
    );
    expect(thresholds).toEqual([
      [0.0144, 0.0144],
      [0.006, 0.006],
      [0.003, 0.003],
      [0.001, 0.001],
    ]);
    expect(alerts[0].expr).toMatch(
      /^\(nthlayer:slo_error:ratio_rate1h\{service="checkout-api",slo="availability"\} > 0.0144 and nthlayer:slo_error:ratio_rate5m\{service="checkout-api",slo="availability"\} > 0.0144\)/,
    );
    expect(alerts[0].labels).toEqual({
      severity: 'page',
      service: 'checkout-api',
      slo: 'availability',
      team: 'team-payments',
      tier: '1',
      long_window: '1h',
      short_window: '5m',
    });
    expect(alerts[0].annotations).toMatchObject({
      runbook_url:
        'https://runbooks.example.com/checkout-api#error-budget-burn',
    });
    expect(alerts[0].annotations!.summary).toContain('14.4x');
    expect(alerts[0].annotations!.description).toContain('above 1.44%');
    expect(alerts[0].annotations!.description).toContain(
      '2% of the 30d budget',
    );
    expect(alerts.every(a => a.for === '2m')).toBe(true);
  });

  it('guards only the page alerts with a minimum event rate (configurable, 0 disables)', () => {
    const alerts = groupsOf().groups[0].rules.filter(r => r.alert);
    expect(alerts[0].expr).toContain(
      'and on() (sum(rate(http_requests_total{service="checkout-api"}[1h])) >= 0.1)',
    );
    expect(alerts[1].expr).toContain('[6h])) >= 0.1)');
    expect(alerts[2].expr).not.toContain('on()');
    const custom = groupsOf(serviceInput(), {
      minEventRate: 2,
    }).groups[0].rules.filter(r => r.alert);
    expect(custom[0].expr).toContain('>= 2)');
    const off = groupsOf(serviceInput(), {
      minEventRate: 0,
    }).groups[0].rules.filter(r => r.alert);
    expect(off.some(a => a.expr.includes('on()'))).toBe(false);
  });

  it('omits runbook_url and reports alerts/annotation without a runbook URL', () => {
    const { result, groups } = groupsOf(SAMPLE_INPUTS.custom);
    const alerts = groups[0].rules.filter(r => r.alert);
    expect(alerts.every(a => !('runbook_url' in a.annotations!))).toBe(true);
    expect(result.findings).toEqual([
      expect.objectContaining({
        annotation: 'nthlayer.dev/runbook-url',
        message: expect.stringMatching(/^alerts\/annotation/),
      }),
    ]);
  });

  it('skips the window rule of calendar windows with a comment and a finding', () => {
    const { result, groups } = groupsOf(SAMPLE_INPUTS.calendar);
    expect(groups[0].rules.filter(r => r.record)).toHaveLength(7);
    expect(result.artifacts[0].content).toContain('calendar window');
    expect(result.findings).toEqual([
      expect.objectContaining({
        annotation: 'nthlayer.dev/slo-window',
        value: '1M',
      }),
    ]);
  });

  it('does not duplicate a window that is also a burn window', () => {
    const input = serviceInput({
      slos: [
        {
          ...serviceInput().service.slos[0],
          window: { text: '3d', minutes: 4320 },
        },
      ],
    });
    expect(groupsOf(input).groups[0].rules.filter(r => r.record)).toHaveLength(
      7,
    );
  });
});
