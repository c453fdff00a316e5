import { parser } from '@prometheus-io/lezer-promql';
import { cutForMessage } from '../text';
import { CustomSli, checkCustomSliQuery, parseSliQuery } from './custom';

/** A node of the PromQL syntax tree (lezer's SyntaxNode, without depending on @lezer/common). */
type Node = ReturnType<typeof parser.parse>['topNode'];

/** The counter functions whose range NthLayer replaces with its own windows. */
const RATE_FUNCTIONS = new Set(['rate', 'increase', 'irate']);

const QUERY_MAX = 2000;
const NOT_A_RATIO = 'is not a ratio of two counters (good / total)';

/**
 * A counter selector found inside a query, or why there is none.
 *
 * @public
 */
export type CounterSelectorResult = { selector: string; notes: string[] } | { problem: string };

/**
 * A single-query SLI read as its good (or bad) and total counters, or why it cannot be.
 *
 * @public
 */
export type RatioQueryResult = { sli: CustomSli; notes: string[] } | { problem: string };

/**
 * One label matcher of a vector selector.
 *
 * @public
 */
export interface LabelMatcherPart {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  /** The value with its quotes removed and escapes resolved. */
  value: string;
  /** The matcher as written, e.g. `le=~"0[.]50*"`. */
  text: string;
}

/**
 * A vector selector taken apart: its metric name and its label matchers.
 *
 * @public
 */
export interface VectorSelectorParts {
  /** The metric name (`http_requests_total`, or `{__name__="…"}`), when the selector names one. */
  name?: string;
  /** The label matchers other than the metric name, in the order written. */
  matchers: LabelMatcherPart[];
}


function unwrapParens(node: Node | null): Node | null {
  let current = node;
  while (current && current.type.name === 'ParenExpr') current = current.firstChild;
  return current;
}

/** The expressions inside a call's parentheses (`sum(…)`, `rate(…)`). */
function callArguments(node: Node): Node[] {
  const body = node.getChild('FunctionCallBody');
  const args: Node[] = [];
  for (let child = body?.firstChild ?? null; child; child = child.nextSibling) args.push(child);
  return args;
}

/** Why an aggregation is not a plain `sum(…)` over every series, or undefined when it is. */
function sumProblem(text: string, node: Node): string | undefined {
  const op = node.getChild('AggregateOp');
  const name = op ? text.slice(op.from, op.to).toLowerCase() : '?';
  if (name !== 'sum') return `aggregates with ${name}(): only sum() is unwrapped, NthLayer sums the counter itself`;
  const modifier = node.getChild('AggregateModifier');
  if (!modifier) return undefined;
  const labels = modifier.getChild('GroupingLabels')?.getChildren('LabelName') ?? [];
  if (modifier.getChild('By') && labels.length === 0) return undefined;
  return modifier.getChild('Without')
    ? 'aggregates by labels (sum without …): NthLayer sums over all series'
    : 'aggregates by labels: NthLayer sums over all series';
}

/** `rate(<selector>[<range>])` → the selector node and a note on the range, or a problem. */
function unwrapRate(text: string, node: Node, notes: string[]): Node | { problem: string } {
  const identifier = node.getChild('FunctionIdentifier');
  const name = identifier ? text.slice(identifier.from, identifier.to) : '?';
  if (!RATE_FUNCTIONS.has(name)) {
    return { problem: `calls ${cutForMessage(name, 40)}(): only rate(), increase() or irate() of a counter are unwrapped; or give the counter itself` };
  }
  const args = callArguments(node);
  if (args.length !== 1) return { problem: `calls ${name}() with ${args.length} arguments: give ${name}(<counter>[<range>]) or the counter itself` };
  const [arg] = args;
  if (arg.type.name !== 'MatrixSelector') {
    const inner = checkCustomSliQuery(text.slice(arg.from, arg.to));
    return 'problem' in inner
      ? { problem: `calls ${name}() of an argument that ${inner.problem}` }
      : { problem: `calls ${name}() without a [range]: not valid PromQL` };
  }
  const duration = arg.getChild('DurationExpr');
  const range = duration ? cutForMessage(text.slice(duration.from, duration.to), 20) : '';
  notes.push(`The [${range}] range of ${name}() is ignored: NthLayer applies its own windows.`);
  const selector = unwrapParens(arg.firstChild);
  return selector ?? { problem: `calls ${name}() of an empty range` };
}

/** The counter selector at `start`, unwrapping parentheses, `sum(…)` and `rate(…[range])`. */
function counterAt(text: string, start: Node | null): CounterSelectorResult {
  const notes: string[] = [];
  let node = unwrapParens(start);
  while (node && node.type.name === 'AggregateExpr') {
    const problem = sumProblem(text, node);
    if (problem) return { problem };
    const args = callArguments(node);
    if (args.length !== 1) return { problem: 'aggregates several expressions: give one counter selector' };
    node = unwrapParens(args[0]);
  }
  if (node && node.type.name === 'FunctionCall') {
    const unwrapped = unwrapRate(text, node, notes);
    if ('problem' in unwrapped) return unwrapped;
    node = unwrapped;
  }
  if (!node) return { problem: 'is empty' };
  const selector = text.slice(node.from, node.to);
  const checked = checkCustomSliQuery(selector);
  return 'problem' in checked ? checked : { selector, notes };
}

/**
 * The counter selector of a query as other tools write it: parentheses, a `sum(…)` without
 * grouping and `rate|increase|irate(<selector>[<range>])` are unwrapped with Prometheus'
 * PromQL grammar (the range is ignored, with a note: NthLayer applies its own windows); what
 * remains must pass {@link checkCustomSliQuery}.
 *
 * @remarks
 * The selector is returned exactly as written in `query`. Problems read after the query's
 * name, e.g. `aggregates by labels: NthLayer sums over all series` for `sum by (code) (…)`.
 *
 * @example
 * `counterSelectorOf('sum(rate(http_requests_total{job="a"}[5m]))')` gives the selector
 * `http_requests_total{job="a"}` and a note that the `[5m]` range is ignored.
 *
 * @public
 */
export function counterSelectorOf(query: string): CounterSelectorResult {
  const text = query.trim();
  const parsed = parseSliQuery(text, QUERY_MAX);
  if ('problem' in parsed) return parsed;
  return counterAt(text, parsed.top);
}

function isOne(text: string, node: Node): boolean {
  return node.type.name === 'NumberDurationLiteral' && Number(text.slice(node.from, node.to)) === 1;
}

/** The two sides of `A / B` without vector matching, or undefined. */
function divisionSides(node: Node | null): [Node, Node] | undefined {
  if (!node || node.type.name !== 'BinaryExpr') return undefined;
  const children: Node[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  if (children.length !== 3 || children[1].type.name !== 'Div') return undefined;
  return [children[0], children[2]];
}

/** `1 - (A / B)`: the division, or undefined. */
function complementedDivision(text: string, node: Node | null): [Node, Node] | undefined {
  if (!node || node.type.name !== 'BinaryExpr') return undefined;
  const lhs = node.firstChild;
  const op = lhs?.nextSibling;
  const rhs = op?.nextSibling;
  if (!lhs || !op || !rhs || rhs.nextSibling || op.type.name !== 'Sub' || !isOne(text, lhs)) return undefined;
  return divisionSides(unwrapParens(rhs));
}

/**
 * The single-query SLI of service files (legacy `indicator.query`, OpenSRM
 * `slos.<name>.query`) read as counters: `A / B` is good `A` over total `B`, `1 - (A / B)` is
 * bad `A` over total `B`; each side is read with {@link counterSelectorOf}.
 *
 * @remarks
 * Anything else is refused with "is not a ratio of two counters (good / total)"; a side that
 * is not a counter is refused naming the side, e.g. "is a ratio whose denominator aggregates
 * by labels: …". Notes of both sides are returned once each.
 *
 * @public
 */
export function ratioQueryOf(query: string): RatioQueryResult {
  const text = query.trim();
  const parsed = parseSliQuery(text, QUERY_MAX * 2);
  if ('problem' in parsed) return parsed;
  const top = unwrapParens(parsed.top);
  const complemented = complementedDivision(text, top);
  const sides = complemented ?? divisionSides(top);
  if (!sides) return { problem: NOT_A_RATIO };
  const [numerator, denominator] = sides.map(side => counterAt(text, side));
  if ('problem' in numerator) return { problem: `is a ratio whose numerator ${numerator.problem}` };
  if ('problem' in denominator) return { problem: `is a ratio whose denominator ${denominator.problem}` };
  const notes = [...new Set([...numerator.notes, ...denominator.notes])];
  const sli: CustomSli = complemented
    ? { bad: numerator.selector, total: denominator.selector }
    : { good: numerator.selector, total: denominator.selector };
  return { sli, notes };
}

/** A PromQL string literal's value: quotes removed, escapes resolved. */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r' };
  return literal.slice(1, -1).replace(/\\(.)/gs, (_, c: string) => escapes[c] ?? c);
}

function matcherPart(text: string, node: Node): LabelMatcherPart | undefined {
  const nameNode = node.getChild('LabelName') ?? node.getChild('QuotedLabelName');
  const opNode = node.getChild('MatchOp');
  const valueNode = node.getChild('StringLiteral');
  if (!nameNode || !opNode || !valueNode) return undefined;
  const rawName = text.slice(nameNode.from, nameNode.to);
  return {
    label: nameNode.type.name === 'QuotedLabelName' ? unquote(rawName) : rawName,
    op: text.slice(opNode.from, opNode.to) as LabelMatcherPart['op'],
    value: unquote(text.slice(valueNode.from, valueNode.to)),
    text: text.slice(node.from, node.to),
  };
}

/**
 * Takes one vector selector (in parentheses or not) apart with Prometheus' PromQL grammar:
 * its metric name and label matchers. Undefined when `selector` is not valid PromQL or not a
 * single vector selector.
 *
 * @public
 */
export function vectorSelectorParts(selector: string): VectorSelectorParts | undefined {
  const text = selector.trim();
  const parsed = parseSliQuery(text, QUERY_MAX);
  if ('problem' in parsed) return undefined;
  const node = unwrapParens(parsed.top);
  if (!node || node.type.name !== 'VectorSelector') return undefined;
  const identifier = node.getChild('Identifier');
  let name = identifier ? text.slice(identifier.from, identifier.to) : undefined;
  const matchers: LabelMatcherPart[] = [];
  const list = node.getChild('LabelMatchers');
  for (let child = list?.firstChild ?? null; child; child = child.nextSibling) {
    if (child.type.name === 'QuotedLabelName') {
      name = unquote(text.slice(child.from, child.to));
      continue;
    }
    const part = matcherPart(text, child);
    if (!part) continue;
    if (part.label === '__name__' && part.op === '=' && name === undefined) name = part.value;
    else matchers.push(part);
  }
  return { name, matchers };
}
