import { canonicalPromql, samePromql } from './canonicalPromql';

describe('samePromql: printing is never drift', () => {
  it.each([
    ['matcher order', 'x{b="1",a="2"}', 'x{a="2",b="1"}'],
    ['spacing and parentheses', '(sum(rate(x[5m])))', 'sum( rate( x [5m] ) )'],
    ['exponent spelling', 'x > 100000000', 'x > 1e+08'],
    ['hex numbers', 'x > 0x10', 'x > 16'],
    ['durations', 'rate(x[28d])', 'rate(x[4w])'],
    ['duration units', 'rate(x[90s])', 'rate(x[1m30s])'],
    ['keyword case', 'SUM BY (job) (x) AND ON() y', 'sum by (job) (x) and on () y'],
    ['where by stands', 'sum(rate(x[5m])) by (job, le)', 'sum by (le, job) (rate(x[5m]))'],
    ['quotes', "x{a='b'}", 'x{a="b"}'],
    ['a folded sign', 'x > - 1', 'x > -1'],
    ['__name__ as a matcher', '{__name__="x",a="1"}', 'x{a="1"}'],
    ['comments', 'x # the metric\n > 1', 'x > 1'],
    ['offsets', 'x offset 1h', 'x offset 60m'],
  ])('%s', (_what, a, b) => {
    expect(samePromql(a, b)).toBe(true);
  });

  it.each([
    ['another threshold', 'x > 0.0144', 'x > 0.0288'],
    ['another range', 'rate(x[5m])', 'rate(x[10m])'],
    ['another matcher value', 'x{a="1"}', 'x{a="2"}'],
    ['another matcher operator', 'x{a="1"}', 'x{a=~"1"}'],
    ['another metric', 'x', 'y'],
    ['another operator', 'x > 1', 'x >= 1'],
    ['bool', 'x > bool 1', 'x > 1'],
    ['by versus without', 'sum by (a) (x)', 'sum without (a) (x)'],
    ['grouping labels', 'sum by (a) (x)', 'sum by (a, b) (x)'],
    ['operand order', 'x / y', 'y / x'],
    ['structure', '(a + b) * c', 'a + (b * c)'],
    ['on() dropped', 'a and on() b', 'a and b'],
    ['function', 'rate(x[5m])', 'increase(x[5m])'],
  ])('%s is a difference', (_what, a, b) => {
    expect(samePromql(a, b)).toBe(false);
  });

  it('an expression that does not parse equals only its own text', () => {
    expect(samePromql('sum(', 'sum(')).toBe(true);
    expect(samePromql('sum(', 'sum( ')).toBe(false);
    expect(canonicalPromql('sum(')).toBeUndefined();
  });

  it('keeps the numbers in order and masks them in the shape', () => {
    const a = canonicalPromql('(x{slo="a"} > 0.0144 and y > 0.0144) and on() (rate(t[1h]) >= 0.1)')!;
    const b = canonicalPromql('(x{slo="a"} > 0.0288 and y > 0.0288) and on () (rate(t[1h]) >= 0.1)')!;
    expect(a.numbers).toEqual([0.0144, 0.0144, 0.1]);
    expect(b.numbers).toEqual([0.0288, 0.0288, 0.1]);
    expect(a.shape).toBe(b.shape);
    expect(a.text).not.toBe(b.text);
  });
});
