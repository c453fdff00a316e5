/** Names of the lint checks, after pint's (Cloudflare's PromQL linter). @public */
export type LintCheck =
  | 'yaml/parse'
  | 'promql/syntax'
  | 'promql/type'
  | 'promql/rate'
  | 'promql/counter-name'
  | 'promql/aggregate'
  | 'promql/selector'
  | 'promql/series'
  | 'alerts/for'
  | 'alerts/annotation'
  | 'alerts/template'
  | 'rule/duplicate';

/** One problem found in a rule file. @public */
export interface LintFinding {
  check: LintCheck;
  severity: 'error' | 'warning';
  message: string;
  /** Name of the rule group. */
  group?: string;
  /** `record` or `alert` name of the rule. */
  rule?: string;
  /** 1-based line of the rule (or of the file problem) in the YAML text. */
  line?: number;
  /**
   * 1-based column where known: for PromQL findings (`promql/*`) the column in the rule's
   * `expr` (on the expression's first line unless the message names another line); for
   * file problems the column on `line` of the YAML text.
   */
  column?: number;
  /** A suggested fix, where one is obvious. */
  fix?: string;
}

/** Options of {@link lintRuleFile}. @public */
export interface LintOptions {
  /** Scrape interval the ranges are checked against (range ≥ 2 × interval). Default `30s`. */
  scrapeInterval?: string;
  /**
   * Label matchers (without braces, e.g. `service="checkout-api"`) that every selector of a
   * raw metric must carry (`promql/selector`); selectors of recorded series (names with a
   * colon) must at least match on the `service` label. Unset: the check is off.
   */
  serviceSelector?: string;
  /** Annotations every alert must carry (`alerts/annotation`). Default `['runbook_url']`. */
  requiredAnnotations?: string[];
}
