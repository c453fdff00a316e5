import { parser } from '@prometheus-io/lezer-promql';
import { cutForMessage } from '../text';

/** A node of the PromQL syntax tree. */
type Node = ReturnType<typeof parser.parse>['topNode'];

/**
 * An SLI from the entity's own PromQL (`nthlayer.dev/sli-good` or `nthlayer.dev/sli-bad`
 * with `nthlayer.dev/sli-total`): counter selectors, without range or aggregation — NthLayer
 * applies the windows and sums. @public
 */
export interface CustomSli {
  good?: string;
  bad?: string;
  total: string;
}

/** What a custom SLI query must be, for findings. @public */
export const ACCEPTED_CUSTOM_SLI_QUERY =
  'one counter selector without range, function or aggregation, e.g. http_requests_total{job="checkout",code!~"5.."} (NthLayer applies the windows)';

const COUNTER_SUFFIX = /(_total|_count|_bucket|_sum)$/;

/** Why a node is not accepted, by the grammar's node name. */
const REFUSED: Record<string, string> = {
  MatrixSelector: 'is a range vector: leave out the [range], NthLayer applies each window',
  SubqueryExpr: 'is a subquery: give the counter itself, NthLayer applies each window',
  OffsetExpr: 'has an offset: the windows end now',
  FunctionCall: 'calls a function: give the counter itself, without rate()/increase(); NthLayer applies them',
  AggregateExpr: 'aggregates: give the counter selector, NthLayer sums it',
  BinaryExpr: 'is an expression of several series: give one counter selector',
  NumberDurationLiteral: 'is a number, not a counter',
  StringLiteral: 'is a string, not a counter',
  UnaryExpr: 'is negated: give the counter itself',
};

/**
 * Checks one custom SLI query with Prometheus' PromQL grammar: it must be a single instant
 * vector selector of a counter (a name ending in `_total`, `_count`, `_bucket` or `_sum`).
 * Returns the query trimmed, or the problem (with the column where it is). @public
 */
export function checkCustomSliQuery(query: string): { query: string } | { problem: string } {
  const text = query.trim();
  const parsed = parseSliQuery(text, 2000);
  if ('problem' in parsed) return parsed;
  let node = parsed.top;
  while (node && node.type.name === 'ParenExpr') node = node.firstChild;
  if (!node) return { problem: 'is empty' };
  if (node.type.name !== 'VectorSelector') {
    return { problem: REFUSED[node.type.name] ?? `is a ${node.type.name}, not a counter selector` };
  }
  const identifier = node.getChild('Identifier');
  const name = identifier ? text.slice(identifier.from, identifier.to) : nameMatcher(text);
  if (!name) return { problem: 'selects no metric by name: give the counter, e.g. http_requests_total{…}' };
  if (!COUNTER_SUFFIX.test(name)) {
    return { problem: `selects ${name}, which is not a counter (counter names end in _total, _count, _bucket or _sum)` };
  }
  return { query: text };
}

/** `{__name__="x", …}` → x. */
function nameMatcher(text: string): string | undefined {
  return /__name__\s*=\s*"([^"]+)"/.exec(text)?.[1];
}

/** Parses a custom SLI query (internal to the sli folder); the problem when it is empty, too long or not valid PromQL. Parses `text`; the problem when it is empty, too long or not valid PromQL. */
export function parseSliQuery(text: string, max: number): { top: Node | null } | { problem: string } {
  if (!text) return { problem: 'is empty' };
  if (text.length > max) return { problem: `is longer than ${max.toLocaleString('en-US')} characters` };
  const tree = parser.parse(text);
  let error: number | undefined;
  tree.iterate({
    enter: n => {
      if (n.type.isError && error === undefined) error = n.from;
      return error === undefined;
    },
  });
  if (error !== undefined) {
    const near = cutForMessage(text.slice(error, error + 20) || 'end of input', 30);
    return { problem: `is not valid PromQL (column ${error + 1}, near "${near}")` };
  }
  return { top: tree.topNode.firstChild };
}
