import type { SyntaxNode } from '@lezer/common';
import { LATER_FUNCTIONS, PROMQL_FUNCTIONS } from './promqlFunctions';
import {
  durationError,
  numberError,
  numberValue,
  stringLiteralError,
  unquote,
} from './promqlLexical';

/** A problem Prometheus reports, at an offset of the expression, with a fix where obvious. */
export interface PromqlError {
  message: string;
  from: number;
  fix?: string;
}

/** A label matcher of a selector. */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  from: number;
}

interface Span {
  from: number;
  to: number;
}

/** Binary operator modifiers: `bool`, `on`/`ignoring (…)`, `group_left`/`group_right (…)`. */
export interface BinaryModifiers {
  bool: boolean;
  /** true for on(…), false for ignoring(…), undefined without either. */
  on?: boolean;
  matching: string[];
  group?: 'left' | 'right';
  include: string[];
}

/** PromQL expressions as Prometheus' parser builds them (not as lezer nests postfixes). */
export type Expr = Span &
  (
    | { kind: 'number'; value: number }
    | { kind: 'string'; value: string }
    | { kind: 'selector'; name?: string; matchers: Matcher[] }
    | { kind: 'matrix'; expr: Expr; bracket: number }
    | { kind: 'subquery'; expr: Expr }
    | { kind: 'offset'; expr: Expr }
    | { kind: 'at'; expr: Expr; startOrEnd: boolean }
    | { kind: 'call'; name: string; args: Expr[] }
    | { kind: 'aggregate'; op: string; args: Expr[] }
    | ({
        kind: 'binary';
        op: string;
        opFrom: number;
        lhs: Expr;
        rhs: Expr;
      } & BinaryModifiers)
    | { kind: 'unary'; op: string; expr: Expr }
    | { kind: 'paren'; expr: Expr }
  );

const BINARY_OPS: Record<string, string> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Gte: '>=',
  Gtr: '>',
  Lte: '<=',
  Lss: '<',
  Neq: '!=',
  And: 'and',
  Unless: 'unless',
  Or: 'or',
};
const MATCH_OPS: Record<string, Matcher['op']> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};
const POSTFIX = new Set([
  'MatrixSelector',
  'SubqueryExpr',
  'OffsetExpr',
  'StepInvariantExpr',
]);

function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling)
    if (c.name !== 'LineComment') out.push(c);
  return out;
}

/**
 * Prometheus binds offset, `@`, ranges and subqueries tighter than any operator
 * (`a + b offset 5m` is `a + (b offset 5m)`); lezer's grammar binds them to the whole
 * operation. Pushes a postfix down onto the rightmost operand.
 */
function attach(operand: Expr, make: (inner: Expr) => Expr): Expr {
  if (operand.kind === 'binary') {
    const rhs = attach(operand.rhs, make);
    return { ...operand, rhs, to: rhs.to };
  }
  if (operand.kind === 'unary') {
    const inner = attach(operand.expr, make);
    return { ...operand, expr: inner, to: inner.to };
  }
  return make(operand);
}

/** Converts a lezer PromQL tree into {@link Expr}, reporting what Prometheus 2.42 lacks. */
export class AstBuilder {
  readonly errors: PromqlError[] = [];
  /**
   * @param expr - the expression as written (names are read from it)
   * @param lexed - the same text after `prepareForLezer` (number literals are read from it)
   */
  constructor(private readonly expr: string, private readonly lexed = expr) {}

  private text(node: SyntaxNode | Span): string {
    return this.expr.slice(node.from, node.to);
  }

  private error(message: string, from: number, fix?: string): void {
    this.errors.push({ message, from, ...(fix ? { fix } : {}) });
  }

  private unsupported(node: SyntaxNode, what: string): void {
    this.error(`${what} is not supported by Prometheus 2.42`, node.from);
  }

  /** The AST of an expression node; undefined when the node is no expression. */
  build(node: SyntaxNode): Expr | undefined {
    const span = { from: node.from, to: node.to };
    const children = kids(node);
    switch (node.name) {
      case 'PromQL':
      case 'ParenExpr': {
        const inner = children[0] && this.build(children[0]);
        if (!inner || node.name === 'PromQL') return inner;
        return { kind: 'paren', expr: inner, ...span };
      }
      case 'NumberDurationLiteral': {
        // lezer folds a sign into the literal, also across spaces ("+ 0").
        const literal = this.lexed
          .slice(node.from, node.to)
          .replace(/^([+-])\s+/, '$1');
        const message = numberError(literal) ?? this.glued(node);
        if (message) this.error(message, node.from);
        return { kind: 'number', value: numberValue(literal), ...span };
      }
      case 'StringLiteral':
        return { kind: 'string', value: this.stringValue(node), ...span };
      case 'VectorSelector':
        return this.selector(node, children);
      case 'FunctionCall':
        return this.call(node, children);
      case 'AggregateExpr':
        return this.aggregate(node, children);
      case 'BinaryExpr':
        return this.binary(node, children);
      case 'UnaryExpr': {
        const inner = children[1] && this.build(children[1]);
        return (
          inner && {
            kind: 'unary',
            op: this.text(children[0]),
            expr: inner,
            ...span,
          }
        );
      }
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        this.unsupported(
          children[1] ?? node,
          `"${this.text(children[1] ?? node)}"`,
        );
        return children[0] && this.build(children[0]);
      default:
        return POSTFIX.has(node.name)
          ? this.postfix(node, children)
          : undefined;
    }
  }

  /** 2.42 lexes a number glued to a name (`1or`) as one bad token; lezer splits it. */
  private glued(node: SyntaxNode): string | undefined {
    const next = this.lexed[node.to];
    return next && /\w/.test(next)
      ? `bad number or duration syntax: ${JSON.stringify(
          this.expr.slice(node.from, node.to + 1),
        )}`
      : undefined;
  }

  private stringValue(node: SyntaxNode): string {
    const literal = this.text(node);
    const problem = stringLiteralError(literal);
    if (problem) this.error(problem.message, node.from + problem.from);
    return problem ? '' : unquote(literal);
  }

  private selector(node: SyntaxNode, children: SyntaxNode[]): Expr {
    const id = children.find(c => c.name === 'Identifier');
    const name = id && this.text(id);
    if (name?.toLowerCase() === 'atan2') {
      this.error(
        'unexpected <op:atan2>: atan2 is an operator, not a metric name',
        node.from,
        '{__name__="atan2"}',
      );
    }
    const matchers: Matcher[] = [];
    for (const item of kids(node.getChild('LabelMatchers') ?? node)) {
      if (item.name !== 'UnquotedLabelMatcher') {
        if (
          item.name === 'QuotedLabelMatcher' ||
          item.name === 'QuotedLabelName'
        ) {
          this.unsupported(item, 'a quoted label name');
        }
        continue;
      }
      const [label, op, value] = kids(item);
      matchers.push({
        name: this.text(label),
        op: MATCH_OPS[op?.firstChild?.name ?? ''] ?? '=',
        value: value ? this.stringValue(value) : '',
        from: item.from,
      });
    }
    return { kind: 'selector', name, matchers, from: node.from, to: node.to };
  }

  private args(body: SyntaxNode | undefined): Expr[] {
    return body ? kids(body).flatMap(c => this.build(c) ?? []) : [];
  }

  private call(node: SyntaxNode, children: SyntaxNode[]): Expr {
    // The name as written (prepareForLezer may have renamed holt_winters for lezer).
    const name = /^[a-zA-Z_]\w*/.exec(this.expr.slice(node.from))?.[0] ?? '';
    if (!PROMQL_FUNCTIONS[name]) {
      const instead = LATER_FUNCTIONS[name];
      this.error(
        `unknown function with name "${name}"${
          name in LATER_FUNCTIONS ? ' (added after Prometheus 2.42)' : ''
        }`,
        node.from,
        instead ? `with Prometheus 2.42, use ${instead}` : undefined,
      );
    }
    const args = this.args(children.find(c => c.name === 'FunctionCallBody'));
    return { kind: 'call', name, args, from: node.from, to: node.to };
  }

  private groupingLabels(node: SyntaxNode | null | undefined): string[] {
    const labels: string[] = [];
    for (const label of node ? kids(node) : []) {
      const text = this.text(label);
      if (label.name === 'QuotedLabelName')
        this.unsupported(label, 'a quoted label name');
      else if (/^(inf|nan)$/i.test(text)) {
        this.error(
          `unexpected number "${text}" in grouping opts, expected label`,
          label.from,
        );
      } else labels.push(text);
    }
    return labels;
  }

  private aggregate(node: SyntaxNode, children: SyntaxNode[]): Expr {
    const opNode = node.getChild('AggregateOp');
    const op = opNode ? this.text(opNode).toLowerCase() : '';
    if (op === 'limitk' || op === 'limit_ratio') {
      this.error(
        `unknown function with name "${op}" (added after Prometheus 2.42)`,
        node.from,
        op === 'limitk' ? 'with Prometheus 2.42, use topk' : undefined,
      );
    }
    this.groupingLabels(
      node.getChild('AggregateModifier')?.getChild('GroupingLabels'),
    );
    const args = this.args(children.find(c => c.name === 'FunctionCallBody'));
    return { kind: 'aggregate', op, args, from: node.from, to: node.to };
  }

  private binary(node: SyntaxNode, children: SyntaxNode[]): Expr | undefined {
    const lhs = this.build(children[0]);
    const rhs = this.build(children[children.length - 1]);
    const opNode = children[1];
    if (!lhs || !rhs || !opNode) return undefined;
    if (opNode.name === 'TrimUpper' || opNode.name === 'TrimLower') {
      this.unsupported(opNode, `the operator ${this.text(opNode)}`);
    }
    const modifiers: BinaryModifiers = {
      bool: false,
      matching: [],
      include: [],
    };
    for (const child of children.slice(2, -1)) {
      if (child.name === 'BoolModifier') modifiers.bool = true;
      if (child.name === 'FillModifier') this.unsupported(child, 'fill()');
      if (child.name !== 'MatchingModifierClause') continue;
      const labelLists = child.getChildren('GroupingLabels');
      modifiers.on = !!child.getChild('On');
      modifiers.matching = this.groupingLabels(labelLists[0]);
      if (child.getChild('GroupLeft') || child.getChild('GroupRight')) {
        modifiers.group = child.getChild('GroupLeft') ? 'left' : 'right';
        modifiers.include = this.groupingLabels(labelLists[1]);
      }
    }
    const op = BINARY_OPS[opNode.name] ?? this.text(opNode);
    return {
      kind: 'binary',
      op,
      opFrom: opNode.from,
      lhs,
      rhs,
      ...modifiers,
      from: node.from,
      to: node.to,
    };
  }

  /** A duration literal of a range or subquery, as 2.42 reads it. */
  private duration(node: SyntaxNode | undefined, context: string): void {
    if (!node) return;
    const literal = node.firstChild;
    if (
      !literal ||
      literal.nextSibling ||
      literal.name !== 'NumberDurationLiteralInDurationContext'
    ) {
      this.error(
        `unexpected "${this.text(node)}" in ${context}, expected a duration`,
        node.from,
        'Prometheus 2.42 has no duration arithmetic; write a literal such as 5m',
      );
      return;
    }
    const message = durationError(this.text(literal)) ?? this.glued(literal);
    // 2.42 lexes the range right after "[" (spaces only): no comment before it.
    if (
      (context === 'range' || context === 'subquery') &&
      this.commentAfterBracket(node)
    ) {
      this.error(`unexpected comment in ${context}`, node.from);
      return;
    }
    if (message) {
      this.error(
        message,
        literal.from,
        message.startsWith('missing unit')
          ? `write the unit, e.g. ${this.text(literal)}s`
          : undefined,
      );
    }
  }

  /** Is there a comment between the "[" of a range or subquery and its duration? */
  private commentAfterBracket(duration: SyntaxNode): boolean {
    let i = duration.parent?.firstChild?.to ?? duration.from;
    while (i < duration.from && this.lexed[i] !== '[') {
      i = this.lexed[i] === '#' ? this.lexed.indexOf('\n', i) >>> 0 : i + 1;
    }
    return this.lexed.slice(i, duration.from).includes('#');
  }

  private offsetDuration(node: SyntaxNode | undefined): void {
    let current = node;
    const sign = current?.getChild('UnaryOp');
    if (sign) {
      if (this.text(sign) !== '-')
        this.error('unexpected <op:+> in offset, expected duration', sign.from);
      current = current?.getChild('OffsetDurationExpr') ?? undefined;
    }
    const literal = current?.firstChild;
    if (!literal || literal.name !== 'NumberDurationLiteralInDurationContext') {
      this.error(
        'unexpected input in offset, expected duration',
        (current ?? node)?.from ?? 0,
      );
      return;
    }
    const text = this.text(literal);
    const message = durationError(text) ?? this.glued(literal);
    if (message?.startsWith('missing unit')) {
      this.error(
        `unexpected number "${text}" in offset, expected duration`,
        literal.from,
        `offset ${text}s`,
      );
    } else if (message) this.error(message, literal.from);
  }

  private timestamp(node: SyntaxNode, children: SyntaxNode[]): void {
    const literal = children.find(c => c.name === 'NumberDurationLiteral');
    if (!literal) return; // start() or end()
    const text = this.lexed.slice(literal.from, literal.to);
    const message = numberError(text) ?? this.glued(literal);
    if (message) {
      this.error(`${message} in @, expected timestamp`, literal.from);
      return;
    }
    const value = numberValue(text);
    if (!Number.isFinite(value) || Math.abs(value) >= 9.223372036854776e18) {
      this.error(`timestamp out of bounds for @ modifier: ${text}`, node.from);
    }
  }

  private postfix(node: SyntaxNode, children: SyntaxNode[]): Expr | undefined {
    const operand = children[0] && this.build(children[0]);
    if (!operand) return undefined;
    const durations = children.filter(c => c.name === 'DurationExpr');
    if (node.name === 'MatrixSelector') this.duration(durations[0], 'range');
    if (node.name === 'SubqueryExpr') {
      this.duration(durations[0], 'subquery');
      this.duration(durations[1], 'subquery step');
    }
    if (node.name === 'OffsetExpr')
      this.offsetDuration(node.getChild('OffsetDurationExpr') ?? undefined);
    if (node.name === 'StepInvariantExpr') this.timestamp(node, children);
    const bracket = durations[0] ? durations[0].from - 1 : node.to;
    return attach(operand, inner => {
      const span = { from: inner.from, to: node.to };
      switch (node.name) {
        case 'MatrixSelector':
          return { kind: 'matrix', expr: inner, bracket, ...span };
        case 'SubqueryExpr':
          return { kind: 'subquery', expr: inner, ...span };
        case 'OffsetExpr':
          return { kind: 'offset', expr: inner, ...span };
        default:
          return {
            kind: 'at',
            expr: inner,
            startOrEnd: !!node.getChild('AtModifierPreprocessors'),
            ...span,
          };
      }
    });
  }
}
