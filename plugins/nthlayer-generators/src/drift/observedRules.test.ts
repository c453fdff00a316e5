import { indexRuleGroups, mergeRuleTypeAnswers, normaliseRuleGroups } from './observedRules';
import { readRuleGroups } from './readRuleGroups';

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

describe('mergeRuleTypeAnswers', () => {
  const rule = (type: 'alerting' | 'recording', name: string) => ({
    type,
    name,
    query: 'up',
    forSeconds: 0,
    labels: {},
    annotations: {},
    health: 'ok' as const,
  });
  const group = (file: string, name: string, rules: ReturnType<typeof rule>[]) => ({ file, name, rules });

  it('joins the halves: groups by file and name in first-seen order, alerts then recording rules', () => {
    const alerting = [
      group('a.yaml', 'svc-slo', [rule('alerting', 'Burn')]),
      group('a.yaml', 'svc-alerts', [rule('alerting', 'Down')]),
      // Prometheus 2.42 sends every group in each half, empty where it holds none of the type.
      group('b.yaml', 'rec-only', []),
    ];
    const recording = [
      group('a.yaml', 'svc-slo', [rule('recording', 'slo:ratio')]),
      group('a.yaml', 'svc-alerts', []),
      group('b.yaml', 'rec-only', [rule('recording', 'x:y')]),
      // Same name, another file: its own group.
      group('c.yaml', 'svc-slo', [rule('recording', 'slo:ratio')]),
    ];
    const merged = mergeRuleTypeAnswers(alerting, recording);
    expect(merged.map(g => [g.file, g.name, g.rules.map(r => r.name)])).toEqual([
      ['a.yaml', 'svc-slo', ['Burn', 'slo:ratio']],
      ['a.yaml', 'svc-alerts', ['Down']],
      ['b.yaml', 'rec-only', ['x:y']],
      ['c.yaml', 'svc-slo', ['slo:ratio']],
    ]);
    // The inputs are not changed.
    expect(alerting[0].rules.map(r => r.name)).toEqual(['Burn']);
  });

  it('takes a half that holds every type as the whole answer when the ruler ignored type', () => {
    const all = [group('a.yaml', 'svc-slo', [rule('recording', 'slo:ratio'), rule('alerting', 'Burn')])];
    expect(mergeRuleTypeAnswers(all, all)).toEqual(all);
    // Only one half unfiltered: still counted once.
    expect(mergeRuleTypeAnswers(all, [group('a.yaml', 'svc-slo', [rule('recording', 'slo:ratio')])])).toEqual(all);
    expect(mergeRuleTypeAnswers([group('a.yaml', 'svc-slo', [rule('alerting', 'Burn')])], all)).toEqual(all);
  });
});

describe('readRuleGroups', () => {
  it('asks for the alerting and the recording half at once and merges them', async () => {
    const asked: Array<string | undefined> = [];
    let open = 0;
    let most = 0;
    const source = {
      async ruleGroups(type?: 'alert' | 'record') {
        asked.push(type);
        most = Math.max(most, ++open);
        await new Promise(r => setTimeout(r, 5));
        open--;
        const r =
          type === 'alert'
            ? { name: 'Burn', query: 'up', type: 'alerting', duration: 60, health: 'ok' }
            : { name: 'slo:ratio', query: 'up', type: 'recording', health: 'ok' };
        return [{ name: 'svc-slo', file: 'a.yaml', rules: [r] }];
      },
    };
    const read = await readRuleGroups(source);
    expect(asked.sort()).toEqual(['alert', 'record']);
    expect(most).toBe(2);
    expect(read).toHaveLength(1);
    expect(read[0].rules.map(r => [r.type, r.name, r.forSeconds])).toEqual([
      ['alerting', 'Burn', 60],
      ['recording', 'slo:ratio', 0],
    ]);
  });

  it('fails when either half fails', async () => {
    const source = {
      async ruleGroups(type?: 'alert' | 'record') {
        if (type === 'record') throw new Error('Prometheus at http://p is unreachable: ECONNREFUSED');
        return [];
      },
    };
    await expect(readRuleGroups(source)).rejects.toThrow('unreachable');
  });
});
