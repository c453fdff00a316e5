import { ruleSelectors } from '../lint/ruleSelectors';
import { promqlSyntaxErrors } from '../lint/promqlSyntax';
import { scopeSelectors } from './scopeSelectors';

const M = 'instance="orders-db:9187"';

describe('scopeSelectors', () => {
  it.each([
    ['pg_up == 0', 'pg_up{instance="orders-db:9187"} == 0'],
    ['rate(pg_stat_database_deadlocks{datname!~"template.*"}[1m]) > 5', 'rate(pg_stat_database_deadlocks{datname!~"template.*",instance="orders-db:9187"}[1m]) > 5'],
    ['sum by (instance) (pg_stat_activity_count) / pg_settings_max_connections{}', 'sum by (instance) (pg_stat_activity_count{instance="orders-db:9187"}) / pg_settings_max_connections{instance="orders-db:9187"}'],
    ['absent({__name__="pg_up"})', 'absent({__name__="pg_up",instance="orders-db:9187"})'],
    ['a{x="1",} offset 5m > on(instance) job:b:rate5m', 'a{x="1",instance="orders-db:9187"} offset 5m > on(instance) job:b:rate5m'],
    ['max_over_time(x[10m:1m])', 'max_over_time(x{instance="orders-db:9187"}[10m:1m])'],
  ])('scopes %s', (expr, expected) => {
    const out = scopeSelectors(expr, M);
    expect(out).toBe(expected);
    expect(promqlSyntaxErrors(out)).toEqual([]);
  });

  it('leaves broken expressions and empty matchers alone', () => {
    expect(scopeSelectors('sum(', M)).toBe('sum(');
    expect(scopeSelectors('up == 0', '  ')).toBe('up == 0');
  });

  it('puts the matchers on every raw selector of a rule', () => {
    const expr = '(rate(a_total[5m]) / rate(b_total{k="v"}[5m])) > 0 and c';
    const yamlText = `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: '${scopeSelectors(expr, 'job="db"')}'\n`;
    const selectors = ruleSelectors(yamlText);
    expect(selectors.map(s => s.metric)).toEqual(['a_total', 'b_total', 'c']);
    for (const s of selectors) expect(s.selector).toContain('job="db"');
  });
});
