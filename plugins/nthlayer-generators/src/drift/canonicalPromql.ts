import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { modelDurationMs, numberValue, prepareForLezer, unquote } from '../lint/promqlLexical';

/**
 * A PromQL expression reduced to its syntax tree, for comparing what NthLayer generates with
 * what Prometheus re-prints from `/api/v1/rules`: parentheses, spacing, comments, keyword
 * case, the order of label matchers and grouping labels, where `by (…)` stands, quoting and
 * the spelling of numbers (`1e+08`, `100000000`, `0x10`) and durations (`28d`, `4w`) do not
 * change it. Numbers are kept in order in {@link CanonicalPromql.numbers} and replaced by `#`
 * in {@link CanonicalPromql.shape}, so a difference only in numbers (a hand-edited threshold)
 * can be told from a changed expression.
 *
 * @public
 */
export interface CanonicalPromql {
  /** The tree with every number in place: equal for equal expressions. */
  text: string;
  /** The tree with numbers replaced by `#`. */
  shape: string;
  /** The numbers of the expression, in document order. */
  numbers: number[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Number marks: control characters, which JSON-quoted label values never hold unescaped. */
const NUMBER_START = '\u0001';
const NUMBER_END = '\u0002';

class Canonicalizer {
  readonly numbers: number[] = [];

  constructor(private readonly expr: string, private readonly lexed: string) {}

  private text(node: SyntaxNode): string {
    return this.expr.slice(node.from, node.to);
  }

  /** Numbers are marked so that one walk gives both the text and the shape. */
  private number(value: number): string {
    this.numbers.push(value);
    return `${NUMBER_START}${formatNumber(value)}${NUMBER_END}`;
  }

  print(node: SyntaxNode): string {
    const kids = children(node);
    switch (node.name) {
      case 'PromQL':
      case 'ParenExpr':
        return kids.length === 1 ? this.print(kids[0]) : this.generic(node, kids);
      case 'NumberDurationLiteral': {
        const literal = this.lexed.slice(node.from, node.to).replace(/\s+/g, '');
        return this.number(numberValue(literal));
      }
      case 'NumberDurationLiteralInDurationContext': {
        const ms = modelDurationMs(this.text(node));
        return ms === undefined ? this.text(node) : `${ms}ms`;
      }
      case 'StringLiteral':
        return JSON.stringify(unquote(this.text(node)));
      case 'UnaryExpr':
        return this.unary(node, kids);
      case 'VectorSelector':
        return this.selector(kids);
      case 'LabelMatchers':
      case 'GroupingLabels':
        return `${node.name}(${kids.map(k => this.print(k)).sort().join(',')})`;
      case 'AggregateExpr': {
        // `sum by (a) (x)` and `sum (x) by (a)` are one expression.
        const order = ['AggregateOp', 'FunctionCallBody', 'AggregateModifier'];
        const rank = (n: SyntaxNode) => order.indexOf(n.name);
        const ordered = [...kids].sort((a, b) => rank(a) - rank(b));
        return this.generic(node, ordered);
      }
      default:
        return this.generic(node, kids);
    }
  }

  private generic(node: SyntaxNode, kids: SyntaxNode[]): string {
    if (kids.length === 0) {
      // Keywords (sum, by, and, offset, bool, …) print as their node name, so case is gone;
      // names of metrics and labels print as written.
      return isNameNode(node) ? this.text(node) : node.name;
    }
    return `${node.name}(${kids.map(k => this.print(k)).join(',')})`;
  }

  /** Prometheus folds a sign into a number literal (`- 1` is the number -1). */
  private unary(node: SyntaxNode, kids: SyntaxNode[]): string {
    const [op, operand] = kids;
    const literal = operand && unwrapParens(operand);
    if (op && literal?.name === 'NumberDurationLiteral') {
      const value = numberValue(this.lexed.slice(literal.from, literal.to).replace(/\s+/g, ''));
      return this.number(this.text(op).trim() === '-' ? -value : value);
    }
    return this.generic(node, kids);
  }

  /** `{__name__="x", a="1"}` is `x{a="1"}`; matchers are compared as a set. */
  private selector(kids: SyntaxNode[]): string {
    let name = '';
    const matchers: string[] = [];
    for (const kid of kids) {
      if (kid.name === 'Identifier') name = this.text(kid);
      if (kid.name !== 'LabelMatchers') continue;
      for (const matcher of children(kid)) {
        const [label, op, value] = children(matcher);
        const opName = op?.firstChild?.name ?? op?.name ?? '';
        const unquoted = value ? unquote(this.text(value)) : '';
        if (label && this.text(label) === '__name__' && opName === 'EqlSingle' && !name && METRIC_NAME.test(unquoted)) {
          name = unquoted;
          continue;
        }
        matchers.push(this.print(matcher));
      }
    }
    return `Selector(${name},${matchers.sort().join(',')})`;
  }
}

function isNameNode(node: SyntaxNode): boolean {
  return node.name === 'Identifier' || node.name === 'LabelName';
}

function unwrapParens(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.name === 'ParenExpr' && current.firstChild && !current.firstChild.nextSibling) {
    current = current.firstChild;
  }
  return current;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'LineComment') out.push(child);
  }
  return out;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

/**
 * The canonical form of a PromQL expression (see {@link CanonicalPromql}); undefined when it
 * does not parse, so that callers fall back to comparing text.
 *
 * @public
 */
export function canonicalPromql(expr: string): CanonicalPromql | undefined {
  const lexed = prepareForLezer(expr);
  const tree = parser.parse(lexed);
  let broken = false;
  tree.iterate({
    enter: node => {
      if (node.type.isError) broken = true;
      return !broken;
    },
  });
  if (broken || !expr.trim()) return undefined;
  const canonicalizer = new Canonicalizer(expr, lexed);
  const marked = canonicalizer.print(tree.topNode);
  return {
    text: marked.split(NUMBER_START).join('').split(NUMBER_END).join(''),
    shape: marked
      .split(NUMBER_START)
      .map((part, i) => (i === 0 ? part : `#${part.slice(part.indexOf(NUMBER_END) + 1)}`))
      .join(''),
    numbers: canonicalizer.numbers,
  };
}

/**
 * Whether two PromQL expressions are the same expression however they are printed; texts
 * are compared first (canonicalising costs about a quarter of a millisecond), and
 * expressions that do not parse are equal only when their texts are.
 *
 * @public
 */
export function samePromql(a: string, b: string): boolean {
  if (a === b) return true;
  const left = canonicalPromql(a);
  const right = canonicalPromql(b);
  return !!left && !!right && left.text === right.text;
}
