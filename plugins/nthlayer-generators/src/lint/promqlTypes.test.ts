import { prepareForLezer } from './promqlLexical';
import { promqlAst, promqlErrors, promqlSyntaxErrors } from './promqlSyntax';
import { typeOf } from './promqlTypes';

const messages = (expr: string) => promqlErrors(expr).map(e => e.message);
const typeOfExpr = (expr: string) => typeOf(promqlAst(expr).ast!);

describe('PromQL type checks (Prometheus 2.42)', () => {
  it('infers the type of each kind of expression', () => {
    expect(typeOfExpr('1 + 2')).toBe('scalar');
    expect(typeOfExpr('time()')).toBe('scalar');
    expect(typeOfExpr('"x"')).toBe('string');
    expect(typeOfExpr('foo')).toBe('instant vector');
    expect(typeOfExpr('foo offset 5m')).toBe('instant vector');
    expect(typeOfExpr('foo[5m]')).toBe('range vector');
    expect(typeOfExpr('rate(foo[5m])[1h:1m]')).toBe('range vector');
    expect(typeOfExpr('scalar(foo) * 2')).toBe('scalar');
    expect(typeOfExpr('foo * 2')).toBe('instant vector');
    expect(typeOfExpr('-(foo)')).toBe('instant vector');
    expect(typeOfExpr('sum by (a) (foo)')).toBe('instant vector');
  });

  it('reports function argument types with the position of the argument and a fix', () => {
    expect(promqlErrors('rate(foo)')).toEqual([
      {
        message:
          'expected type range vector in call to function "rate", got instant vector',
        from: 5,
        fix: 'give a range, e.g. rate(foo[5m])',
      },
    ]);
    expect(promqlSyntaxErrors('sum(foo) +\n  rate(bar)')).toEqual([
      'expected type range vector in call to function "rate", got instant vector at line 2, column 8',
    ]);
  });

  it('reports argument counts of fixed and variadic functions', () => {
    expect(messages('abs(foo, 1)')).toEqual([
      'expected 1 argument(s) in call to "abs", got 2',
    ]);
    expect(messages('round(foo, 1, 2)')).toEqual([
      'expected at most 2 argument(s) in call to "round", got 3',
    ]);
    expect(messages('label_join(foo)')).toEqual([
      'expected at least 3 argument(s) in call to "label_join", got 1',
    ]);
    expect(messages('day_of_week()')).toEqual([]);
    expect(messages('label_join(foo, "a", ",", "b", "c")')).toEqual([]);
  });

  it('knows the functions of 2.42: holt_winters yes, later ones no', () => {
    expect(messages('holt_winters(foo[5m], 0.5, 0.5)')).toEqual([]);
    expect(messages('holt_winters(foo, 0.5, 0.5)')).toEqual([
      'expected type range vector in call to function "holt_winters", got instant vector',
    ]);
    expect(promqlErrors('limitk(1, foo)')[0]).toMatchObject({
      message:
        'unknown function with name "limitk" (added after Prometheus 2.42)',
      fix: 'with Prometheus 2.42, use topk',
    });
  });

  it('reports operators Prometheus rejects', () => {
    expect(messages('1 and 1')).toEqual([
      'set operator "and" not allowed in binary scalar expression',
    ]);
    expect(promqlErrors('1 == 1')[0]).toMatchObject({
      message: 'comparisons between scalars must use BOOL modifier',
      from: 2,
      fix: 'write == bool',
    });
    expect(messages('foo + on(a) 1')).toEqual([
      'vector matching only allowed between instant vectors',
    ]);
    expect(messages('a and on(x) group_left b')).toEqual([
      'no grouping allowed for "and" operation',
    ]);
    expect(messages('foo + bool bar')).toEqual([
      'bool modifier can only be used on comparison operators',
    ]);
  });

  it('binds offset, @, ranges and subqueries tighter than operators, as Prometheus does', () => {
    expect(messages('a + b offset 5m')).toEqual([]);
    expect(messages('-foo offset 5m')).toEqual([]);
    expect(messages('a * b @ 1609459200')).toEqual([]);
    expect(messages('-foo[5m:1m]')).toEqual([
      'unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    ]);
    expect(messages('sum(x) offset 5m')).toEqual([
      'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ]);
  });

  it('checks aggregations, selectors, durations and literals', () => {
    expect(messages('sum(1)')).toEqual([
      'expected type instant vector in aggregation expression, got scalar',
    ]);
    expect(messages('topk(foo, bar)')).toEqual([
      'expected type scalar in aggregation parameter, got instant vector',
    ]);
    expect(messages('{a=~".*"}')).toEqual([
      'vector selector must contain at least one non-empty matcher',
    ]);
    expect(messages('{job!=""}')).toEqual([]);
    expect(messages('foo{a=~"(?=x)"}')).toEqual([
      'error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    ]);
    expect(messages('foo[0s]')).toEqual(['duration must be greater than 0']);
    expect(promqlErrors('foo[300]')[0]).toMatchObject({
      message: 'missing unit character in duration',
      fix: 'write the unit, e.g. 300s',
    });
    expect(messages('foo > 5m')).toEqual(['unexpected duration "5m"']);
    expect(messages('"\\."')).toEqual(['unknown escape sequence "."']);
  });

  it('accepts keywords where Prometheus takes them for names', () => {
    expect(messages('offset > 0')).toEqual([]);
    expect(messages('rate(offset[5m] offset 5m)')).toEqual([]);
    expect(messages('sum by (on, bool) (foo{offset="x"})')).toEqual([]);
    expect(messages('{__name__="on"}')).toEqual([]);
    expect(messages('on')).toHaveLength(1);
    expect(messages('atan2')).toHaveLength(1);
  });
});

describe('prepareForLezer', () => {
  it('keeps the length, so lezer offsets are offsets into the expression', () => {
    for (const expr of [
      'holt_winters(x[5m], 1, 1)',
      '5. + 5.e3',
      'offset offset 5m',
      '0X1F',
    ]) {
      expect(prepareForLezer(expr)).toHaveLength(expr.length);
    }
    expect(prepareForLezer('offset offset 5m')).toBe('offsex offset 5m');
    expect(prepareForLezer('{offset="x"} offset 1m')).toBe(
      '{offset="x"} offset 1m',
    );
  });
});
