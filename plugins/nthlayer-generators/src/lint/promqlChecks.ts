import type { SyntaxNode, Tree } from '@lezer/common';
import { parseSelector } from '@nthlayer/backstage-plugin-common';
import { children, durationMs, nodesNamed } from './promqlSyntax';
import { LintFinding } from './types';

/** A finding without its location; the caller adds group, rule and line. */
export type ExprFinding = Pick<LintFinding, 'check' | 'severity' | 'message'>;

const COUNTER_SUFFIX = /_(total|count|bucket|sum)$/;
const RATE_FUNCTIONS = new Set(['Rate', 'Irate', 'Increase']);

function text(expr: string, node: SyntaxNode): string {
  return expr.slice(node.from, node.to);
}

/** Name of the function a FunctionCall node calls, e.g. `Rate`. */
function functionName(call: SyntaxNode): string | undefined {
  return call.getChild('FunctionIdentifier')?.firstChild?.name;
}

/** Arguments of a FunctionCall (or AggregateExpr) body. */
function args(node: SyntaxNode): SyntaxNode[] {
  const body = node.getChild('FunctionCallBody');
  return body ? children(body).filter(c => !c.type.isError) : [];
}

/** Strips parentheses and offsets around an expression. */
function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (
    current.name === 'ParenExpr' ||
    current.name === 'OffsetExpr' ||
    current.name === 'StepInvariantExpr'
  ) {
    const inner = current.firstChild;
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** Metric name of a VectorSelector: its identifier or an exact `__name__` matcher. */
export function metricName(
  expr: string,
  selector: SyntaxNode,
): string | undefined {
  const id = selector.getChild('Identifier');
  if (id) return text(expr, id);
  const match = /__name__\s*=\s*"([^"]+)"/.exec(text(expr, selector));
  return match?.[1];
}

/**
 * `promql/rate`: rate/irate/increase over at least 2 × the scrape interval (error), and
 * `promql/counter-name`: over something named like a counter (warning; a naming heuristic,
 * exporters older than the `_total` convention trip it).
 */
export function checkRate(
  expr: string,
  tree: Tree,
  scrapeMs: number,
): ExprFinding[] {
  const findings: ExprFinding[] = [];
  for (const call of nodesNamed(tree, 'FunctionCall')) {
    const fn = functionName(call);
    if (!fn || !RATE_FUNCTIONS.has(fn)) continue;
    const arg = args(call)[0] && unwrap(args(call)[0]);
    if (!arg || arg.name !== 'MatrixSelector') continue;
    const fnText = fn.toLowerCase();
    const selector = arg.getChild('VectorSelector');
    const name = selector && metricName(expr, selector);
    if (name && !COUNTER_SUFFIX.test(name)) {
      findings.push({
        check: 'promql/counter-name',
        severity: 'warning',
        message: `${fnText}() over ${name}, which is not named like a counter (_total, _count, _bucket, _sum)`,
      });
    }
    const duration = arg.getChild('DurationExpr');
    const ms = duration && durationMs(text(expr, duration));
    if (ms !== undefined && ms !== null && ms < 2 * scrapeMs) {
      findings.push({
        check: 'promql/rate',
        severity: 'error',
        message: `${fnText}(${name ?? '…'}[${text(
          expr,
          duration!,
        )}]) needs a range of at least 2 × the scrape interval (${
          (2 * scrapeMs) / 1000
        }s)`,
      });
    }
  }
  return findings;
}

/** `promql/aggregate`: histogram_quantile over an aggregation must keep `le`. */
export function checkAggregate(expr: string, tree: Tree): ExprFinding[] {
  const findings: ExprFinding[] = [];
  for (const call of nodesNamed(tree, 'FunctionCall')) {
    if (functionName(call) !== 'HistogramQuantile') continue;
    const arg = args(call)[1] && unwrap(args(call)[1]);
    if (!arg || arg.name !== 'AggregateExpr') continue;
    const modifier = arg.getChild('AggregateModifier');
    const labels = (
      modifier?.getChild('GroupingLabels')?.getChildren('LabelName') ?? []
    ).map(l => text(expr, l));
    const keepsLe = modifier?.getChild('By')
      ? labels.includes('le')
      : !!modifier && !labels.includes('le');
    if (!keepsLe) {
      findings.push({
        check: 'promql/aggregate',
        severity: 'error',
        message: `histogram_quantile() over ${text(expr, arg).slice(
          0,
          60,
        )} loses the le label; aggregate with by (le) or by (…, le)`,
      });
    }
  }
  return findings;
}

/** Matchers of a selector as normalised `name op "value"` strings. */
function matchersOf(expr: string, selector: SyntaxNode): string[] {
  const list = selector.getChild('LabelMatchers');
  if (!list) return [];
  return list
    .getChildren('UnquotedLabelMatcher')
    .map(m => text(expr, m).replace(/\s+/g, ''));
}

/**
 * `promql/selector`: every raw-metric selector carries the service selector; selectors of
 * recorded series (names with a colon) at least match on `service`.
 */
export function checkSelector(
  expr: string,
  tree: Tree,
  serviceSelector: string,
): ExprFinding[] {
  const required = (parseSelector(serviceSelector) ?? serviceSelector)
    .split(/,(?=\s*[a-zA-Z_]\w*\s*(?:=~|!~|!=|=))/)
    .map(m => m.replace(/\s+/g, ''));
  const findings: ExprFinding[] = [];
  for (const selector of nodesNamed(tree, 'VectorSelector')) {
    const name = metricName(expr, selector) ?? text(expr, selector);
    const have = matchersOf(expr, selector);
    const recorded = name.includes(':');
    const hasService = have.some(m => /^service(=|!=|=~|!~)/.test(m));
    let missing = required.filter(m => !have.includes(m));
    if (recorded) missing = hasService ? [] : ['service'];
    if (missing.length) {
      findings.push({
        check: 'promql/selector',
        severity: 'error',
        message: `selector ${text(
          expr,
          selector,
        )} lacks the service selector (${missing.join(', ')})`,
      });
    }
  }
  return findings;
}
