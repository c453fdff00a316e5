import { indexRuleGroups, normaliseRuleGroups } from './observedRules';

/** Shaped like Prometheus 2.42's `/api/v1/rules` `data.groups`. */
const groups = [
  {
    name: 'nthlayer-checkout-api-slo',
    file: '/etc/prometheus/rules/checkout-api.yaml',
    interval: 60,
    rules: [
      {
        name: 'slo:sli_error:ratio_rate5m',
        query: 'sum(rate(http_requests_total{code=~"5..",service="checkout-api"}[5m]))',
        health: 'ok',
        evaluationTime: 0.0012,
        lastEvaluation: '2026-12-03T10:00:00.123Z',
        type: 'recording',
      },
      {
        state: 'inactive',
        name: 'NthlayerErrorBudgetBurn',
        query: 'x > 14.4 * 0.001',
        duration: 120,
        labels: { severity: 'page', service: 'checkout-api', long_window: '1h' },
        annotations: { summary: 'burning' },
        alerts: [],
        health: 'err',
        lastError: 'many-to-many matching not allowed',
        lastEvaluation: '0001-01-01T00:00:00Z',
        type: 'alerting',
      },
      { name: 'odd', query: 'up', type: 'something-else' },
      'not a rule',
      { name: 'labels with numbers', query: 'up', type: 'recording', labels: { a: 'x', b: 5 }, health: 'unknown' },
    ],
  },
  { name: 'no rules array', file: 'f', rules: null },
  null,
  { name: 'nthlayer-checkout-api-slo', file: '/etc/prometheus/rules/copy.yaml', rules: [] },
];

describe('normaliseRuleGroups', () => {
  it('reads rules as Prometheus reports them: for in seconds, absent labels, never-evaluated and failing rules', () => {
    const [slo, copy, ...rest] = normaliseRuleGroups(groups);
    expect(rest).toEqual([]);
    expect(copy).toEqual({ name: 'nthlayer-checkout-api-slo', file: '/etc/prometheus/rules/copy.yaml', rules: [] });
    expect(slo.rules).toEqual([
      {
        type: 'recording',
        name: 'slo:sli_error:ratio_rate5m',
        query: 'sum(rate(http_requests_total{code=~"5..",service="checkout-api"}[5m]))',
        forSeconds: 0,
        labels: {},
        annotations: {},
        health: 'ok',
        lastEvaluation: '2026-12-03T10:00:00.123Z',
      },
      {
        type: 'alerting',
        name: 'NthlayerErrorBudgetBurn',
        query: 'x > 14.4 * 0.001',
        forSeconds: 120,
        labels: { severity: 'page', service: 'checkout-api', long_window: '1h' },
        annotations: { summary: 'burning' },
        health: 'err',
        lastError: 'many-to-many matching not allowed',
      },
      // A label value that is not a string is left out; the others are kept.
      { type: 'recording', name: 'labels with numbers', query: 'up', forSeconds: 0, labels: { a: 'x' }, annotations: {}, health: 'unknown' },
    ]);
  });

  it('indexes groups by name, keeping groups of the same name from different files', () => {
    const index = indexRuleGroups(normaliseRuleGroups(groups));
    expect([...index.keys()]).toEqual(['nthlayer-checkout-api-slo']);
    expect(index.get('nthlayer-checkout-api-slo')!.map(g => g.file)).toEqual([
      '/etc/prometheus/rules/checkout-api.yaml',
      '/etc/prometheus/rules/copy.yaml',
    ]);
  });
});
