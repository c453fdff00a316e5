import { metricName } from './promqlChecks';
import { nodesNamed, parsePromql, promqlSyntaxErrors } from './promqlSyntax';
import { readRules } from './lintRuleFile';

/** A raw-metric selector used by a rule, with where it is. @public */
export interface RuleSelector {
  group: string;
  /** `record` or `alert` name of the rule. */
  rule: string;
  line?: number;
  /** Metric name, e.g. `http_requests_total`. */
  metric: string;
  /** The selector as written, e.g. `http_requests_total{service="checkout-api"}`. */
  selector: string;
}

/**
 * Every selector of a raw metric in a rule file, for `promql/series` (do the series exist?).
 * Selectors of recorded series (names with a colon, made by recording rules) and selectors
 * without a metric name are left out; so are rules that do not parse (the offline lint
 * reports those). Pure: no I/O.
 *
 * @public
 */
export function ruleSelectors(yamlText: string): RuleSelector[] {
  const selectors: RuleSelector[] = [];
  for (const located of readRules(yamlText, [])) {
    const expr = typeof located.rule.expr === 'string' ? located.rule.expr : '';
    if (!expr || promqlSyntaxErrors(expr).length) continue;
    for (const node of nodesNamed(parsePromql(expr), 'VectorSelector')) {
      const metric = metricName(expr, node);
      if (!metric || metric.includes(':')) continue;
      selectors.push({
        group: located.group,
        rule: String(located.rule.record ?? located.rule.alert),
        line: located.line,
        metric,
        selector: expr.slice(node.from, node.to),
      });
    }
  }
  return selectors;
}
