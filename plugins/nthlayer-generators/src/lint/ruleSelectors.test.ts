import { stringify } from 'yaml';
import { ruleSelectors } from './ruleSelectors';

const file = stringify({
  groups: [
    {
      name: 'g',
      rules: [
        {
          record: 'job:errors:ratio_rate5m',
          expr: 'sum(rate(http_requests_total{service="a",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="a"}[5m] offset 1h))',
        },
        { alert: 'High', expr: 'job:errors:ratio_rate5m{service="a"} > 0.1 and on() up{job="a"} == 1', for: '5m' },
        { alert: 'ByName', expr: 'absent({__name__="pg_up"})', for: '5m' },
        { alert: 'Broken', expr: 'sum(', for: '5m' },
      ],
    },
  ],
});

describe('ruleSelectors', () => {
  it('lists raw-metric selectors with their rule, leaving out recorded series and broken rules', () => {
    expect(ruleSelectors(file).map(s => [s.rule, s.metric, s.selector])).toEqual([
      ['job:errors:ratio_rate5m', 'http_requests_total', 'http_requests_total{service="a",code=~"5.."}'],
      ['job:errors:ratio_rate5m', 'http_requests_total', 'http_requests_total{service="a"}'],
      ['High', 'up', 'up{job="a"}'],
      ['ByName', 'pg_up', '{__name__="pg_up"}'],
    ]);
    expect(ruleSelectors(file)[0]).toMatchObject({ group: 'g', line: expect.any(Number) });
  });

  it('returns nothing for a file that is not a rule file', () => {
    expect(ruleSelectors('not: [a rule file')).toEqual([]);
    expect(ruleSelectors('foo: bar\n')).toEqual([]);
  });
});
