import type { Expr, Matcher, PromqlError } from './promqlAst';
import { AGGREGATIONS, PROMQL_FUNCTIONS, ValueType } from './promqlFunctions';
import { checkRe2 } from './re2Syntax';

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPERATORS = new Set(['and', 'or', 'unless']);
const ARGUMENT_FIXES: Partial<Record<ValueType, (fn: string) => string>> = {
  'range vector': fn => `give a range, e.g. ${fn}(foo[5m])`,
  scalar: () => 'wrap an instant vector in scalar(…), or give a number',
  string: () => 'give a string literal, e.g. "label"',
};
const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'scalar',
  'instant vector': 'vector',
  'range vector': 'matrix',
  string: 'string',
};

/** Does the matcher match a series without that label (the empty value)? */
function matchesEmpty(m: Matcher): boolean {
  if (m.op === '=') return m.value === '';
  if (m.op === '!=') return m.value !== '';
  const empty = checkRe2(m.value).matchesEmpty;
  return m.op === '=~' ? empty : !empty;
}

/**
 * Type checks of Prometheus 2.42's parser over an {@link Expr}: infers each node's type
 * (scalar, instant vector, range vector, string) and reports what Prometheus rejects —
 * function argument counts and types, operand types of operators and aggregations,
 * vector matching, offset and `@` targets, ranges and subqueries, selectors that match
 * everything, label matcher regexes.
 */
export class TypeChecker {
  readonly errors: PromqlError[] = [];

  private error(message: string, from: number, fix?: string): void {
    this.errors.push({ message, from, ...(fix ? { fix } : {}) });
  }

  private expect(
    node: Expr,
    want: ValueType,
    context: string,
    fix?: string,
  ): void {
    const got = this.check(node);
    if (got !== want)
      this.error(
        `expected type ${want} in ${context}, got ${got}`,
        node.from,
        fix,
      );
  }

  /** The type of `node`; reports its errors and those of its children. */
  check(node: Expr): ValueType {
    switch (node.kind) {
      case 'number':
        return 'scalar';
      case 'string':
        return 'string';
      case 'paren':
        return this.check(node.expr);
      case 'selector':
        this.selector(node);
        return 'instant vector';
      case 'matrix':
        this.matrix(node);
        return 'range vector';
      case 'subquery': {
        const inner = this.check(node.expr);
        if (inner !== 'instant vector') {
          this.error(
            `subquery is only allowed on instant vector, got ${TYPE_NAMES[inner]} instead`,
            node.from,
            inner === 'range vector'
              ? 'apply a function such as rate() to the range first'
              : undefined,
          );
        }
        return 'range vector';
      }
      case 'offset':
      case 'at':
        return this.modifier(node);
      case 'unary': {
        const inner = this.check(node.expr);
        if (inner !== 'scalar' && inner !== 'instant vector') {
          this.error(
            `unary expression only allowed on expressions of type scalar or instant vector, got "${inner}"`,
            node.from,
          );
        }
        return inner;
      }
      case 'call':
        return this.call(node);
      case 'aggregate':
        this.aggregate(node);
        return 'instant vector';
      default:
        return this.binary(node);
    }
  }

  private selector(node: Extract<Expr, { kind: 'selector' }>): void {
    for (const m of node.matchers) {
      if (m.op === '=~' || m.op === '!~') {
        const error = checkRe2(m.value).error;
        if (error) this.error(error, m.from);
      }
    }
    if (node.name !== undefined) {
      const named = node.matchers.find(m => m.name === '__name__');
      if (named) {
        this.error(
          `metric name must not be set twice: "${node.name}" or "${named.value}"`,
          node.from,
          `write either ${node.name}{…} or {__name__=…}`,
        );
      }
    } else if (node.matchers.every(matchesEmpty)) {
      this.error(
        'vector selector must contain at least one non-empty matcher',
        node.from,
        'add a metric name or a matcher that does not match the empty string, e.g. {job=~".+"}',
      );
    }
  }

  private matrix(node: Extract<Expr, { kind: 'matrix' }>): void {
    const inner = node.expr;
    if (inner.kind === 'selector') {
      this.check(inner);
      return;
    }
    let base: Expr = inner;
    let offset = false;
    let timestamp = false;
    while (base.kind === 'offset' || base.kind === 'at') {
      offset = offset || base.kind === 'offset';
      timestamp = timestamp || (base.kind === 'at' && !base.startOrEnd);
      base = base.expr;
    }
    // 2.42 only checks for an offset or an @ timestamp: foo @ start()[5m] passes.
    if (base.kind === 'selector' && !offset && !timestamp) {
      this.check(inner);
      return;
    }
    let message = 'ranges only allowed for vector selectors';
    if (base.kind === 'selector') {
      message = offset
        ? 'no offset modifiers allowed before range'
        : 'no @ modifiers allowed before range';
    }
    const fix =
      base.kind === 'selector'
        ? 'put the modifier after the range: foo[5m] offset 1h'
        : 'use a subquery, e.g. (…)[5m:1m], or move the range onto the selector';
    this.error(message, node.bracket, fix);
    this.check(inner);
  }

  /** `offset` and `@` apply to a selector, a range or a subquery, once each. */
  private modifier(node: Extract<Expr, { kind: 'offset' | 'at' }>): ValueType {
    const type = this.check(node.expr);
    let base: Expr = node.expr;
    let twice = false;
    while (base.kind === 'offset' || base.kind === 'at') {
      twice = twice || base.kind === node.kind;
      base = base.expr;
    }
    // An @ start() before a range counts as the range's @ (see matrix()).
    for (
      let e: Expr = base.kind === 'matrix' ? base.expr : base;
      e.kind === 'at';
      e = e.expr
    ) {
      twice = twice || node.kind === 'at';
    }
    const word = node.kind === 'offset' ? 'offset' : '@';
    if (!['selector', 'matrix', 'subquery'].includes(base.kind)) {
      this.error(
        `${
          word === 'offset' ? 'offset' : '@'
        } modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
        node.from,
        `apply ${word} to the selectors inside, e.g. rate(foo[5m] ${
          word === 'offset' ? 'offset 1h' : '@ 1700000000'
        })`,
      );
    } else if (twice) {
      this.error(
        word === 'offset'
          ? 'offset may not be set multiple times'
          : '@ <timestamp> may not be set multiple times',
        node.from,
      );
    }
    return type;
  }

  private call(node: Extract<Expr, { kind: 'call' }>): ValueType {
    const fn = PROMQL_FUNCTIONS[node.name];
    if (!fn) {
      node.args.forEach(arg => this.check(arg));
      return 'instant vector';
    }
    const n = node.args.length;
    const want = fn.args.length;
    const fixed = want - (fn.variadic ? 1 : 0);
    let most = fn.variadic > 0 ? fixed + fn.variadic : want;
    if (fn.variadic < 0) most = Infinity;
    if (!fn.variadic && n !== want) {
      this.error(
        `expected ${want} argument(s) in call to "${node.name}", got ${n}`,
        node.from,
      );
    } else if (n < fixed) {
      this.error(
        `expected at least ${fixed} argument(s) in call to "${node.name}", got ${n}`,
        node.from,
      );
    } else if (n > most) {
      this.error(
        `expected at most ${most} argument(s) in call to "${node.name}", got ${n}`,
        node.from,
      );
    }
    node.args.forEach((arg, i) => {
      if (i >= want && !fn.variadic) return;
      const type = fn.args[Math.min(i, want - 1)];
      this.expect(
        arg,
        type,
        `call to function "${node.name}"`,
        ARGUMENT_FIXES[type]?.(node.name),
      );
    });
    return fn.returns;
  }

  private aggregate(node: Extract<Expr, { kind: 'aggregate' }>): void {
    if (!(node.op in AGGREGATIONS)) {
      node.args.forEach(arg => this.check(arg));
      return;
    }
    const param = AGGREGATIONS[node.op];
    const want = param ? 2 : 1;
    if (!node.args.length) {
      this.error('no arguments for aggregate expression provided', node.from);
      return;
    }
    if (node.args.length !== want) {
      this.error(
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${node.args.length}`,
        node.from,
        param
          ? `${node.op}(${param === 'string' ? '"label"' : '5'}, …)`
          : undefined,
      );
      return;
    }
    this.expect(
      node.args[want - 1],
      'instant vector',
      'aggregation expression',
      'aggregate an instant vector, e.g. sum(rate(foo[5m]))',
    );
    if (param) this.expect(node.args[0], param, 'aggregation parameter');
  }

  private binary(node: Extract<Expr, { kind: 'binary' }>): ValueType {
    const lt = this.check(node.lhs);
    const rt = this.check(node.rhs);
    const comparison = COMPARISONS.has(node.op);
    const set = SET_OPERATORS.has(node.op);
    const scalarOperand = lt === 'scalar' || rt === 'scalar';
    if (node.bool && !comparison) {
      this.error(
        'bool modifier can only be used on comparison operators',
        node.opFrom,
      );
    }
    if (comparison && !node.bool && lt === 'scalar' && rt === 'scalar') {
      this.error(
        'comparisons between scalars must use BOOL modifier',
        node.opFrom,
        `write ${node.op} bool`,
      );
    }
    if (node.on && node.group) {
      for (const label of node.matching.filter(l => node.include.includes(l))) {
        this.error(
          `label "${label}" must not occur in ON and GROUP clause at once`,
          node.opFrom,
        );
      }
    }
    for (const [type, side] of [
      [lt, node.lhs],
      [rt, node.rhs],
    ] as const) {
      if (type !== 'scalar' && type !== 'instant vector') {
        this.error(
          'binary expression must contain only scalar and instant vector types',
          side.from,
        );
      }
    }
    if (lt !== 'instant vector' || rt !== 'instant vector') {
      if (node.matching.length) {
        this.error(
          'vector matching only allowed between instant vectors',
          node.from,
          'drop on(…)/ignoring(…) when one side is a scalar',
        );
      }
    } else if (set && node.group) {
      this.error(
        `no grouping allowed for "${node.op}" operation`,
        node.from,
        `drop group_${node.group}`,
      );
    }
    if (scalarOperand && set) {
      this.error(
        `set operator "${node.op}" not allowed in binary scalar expression`,
        node.from,
        'set operators need instant vectors on both sides, e.g. vector(1)',
      );
    }
    return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'instant vector';
  }
}

/** Type of an expression without reporting anything (the checker's inference). */
export function typeOf(node: Expr): ValueType {
  return new TypeChecker().check(node);
}
