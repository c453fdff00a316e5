import { templateError } from './goTemplate';
import type { Expr } from './promqlAst';
import {
  exprPosition,
  located as withPosition,
  promqlAst,
  promqlErrors,
} from './promqlSyntax';
import { typeOf } from './promqlTypes';
import type { LocatedRule } from './ruleChecks';
import { readRuleFile } from './ruleFile';
import { LintFinding } from './types';

/** A rule of a validated file, with the AST of its expression when Prometheus accepts it. */
export interface ValidatedRule {
  located: LocatedRule;
  ast?: Expr;
}

function where(located: LocatedRule) {
  return {
    group: located.group,
    rule: String(located.rule.record ?? located.rule.alert),
    line: located.line,
  };
}

/** `promql/syntax`: what Prometheus 2.42's parser rejects in the rule's `expr`. */
function exprFindings(located: LocatedRule): LintFinding[] {
  const expr = String(located.rule.expr ?? '');
  if (!expr) return []; // readRuleFile reports the missing expr
  return promqlErrors(expr).map(error => ({
    check: 'promql/syntax',
    severity: 'error',
    message: withPosition(expr, error),
    ...where(located),
    column: exprPosition(expr, error.from).column,
    ...(error.fix ? { fix: error.fix } : {}),
  }));
}

/** `alerts/template`: labels and annotations of alerts are Go templates Prometheus parses. */
function templateFindings(located: LocatedRule): LintFinding[] {
  if (!located.rule.alert) return [];
  const findings: LintFinding[] = [];
  for (const [kind, values] of [
    ['label', located.rule.labels],
    ['annotation', located.rule.annotations],
  ] as const) {
    for (const [name, value] of Object.entries(values ?? {})) {
      const error = templateError(String(value));
      if (error) {
        findings.push({
          check: 'alerts/template',
          severity: 'error',
          message: `${kind} ${JSON.stringify(
            name,
          )}: the template does not parse: ${error}`,
          ...where(located),
        });
      }
    }
  }
  return findings;
}

/** The rules of a file with their ASTs, and every finding that makes Prometheus reject it. */
export function validateRules(yamlText: string): {
  rules: ValidatedRule[];
  findings: LintFinding[];
} {
  const model = readRuleFile(yamlText);
  const findings = [...model.findings];
  const rules = model.rules.map(rule => {
    const exprErrors = exprFindings(rule);
    findings.push(...exprErrors, ...templateFindings(rule));
    const expr = String(rule.rule.expr ?? '');
    return {
      located: rule,
      ast: expr && !exprErrors.length ? promqlAst(expr).ast : undefined,
    };
  });
  for (const rule of model.unnamed) findings.push(...exprFindings(rule));
  return { rules, findings };
}

/**
 * `promql/type`: a rule's expression must give an instant vector or a scalar. Prometheus
 * 2.42 loads a rule of a range vector or a string (promtool passes it), but every
 * evaluation of it fails.
 */
export function resultTypeFindings(rule: ValidatedRule): LintFinding[] {
  if (!rule.ast) return [];
  const type = typeOf(rule.ast);
  if (type !== 'range vector' && type !== 'string') return [];
  return [
    {
      check: 'promql/type',
      severity: 'error',
      message: `the expression is a ${type}; a rule's expression must be an instant vector or a scalar (Prometheus loads the rule, but every evaluation fails)`,
      ...where(rule.located),
      column: 1,
      fix:
        type === 'range vector'
          ? 'apply a function over the range, e.g. rate(…[5m]) or max_over_time(…[5m])'
          : 'a rule cannot record a string',
    },
  ];
}

/**
 * Checks a Prometheus rule file the way `promtool check rules` of Prometheus 2.42 does,
 * without promtool: the YAML and Prometheus' strict rule-file format (`rulefmt`: unknown
 * fields, `record` xor `alert`, metric, label and annotation names, durations, duplicate
 * group names, YAML anchors and merge keys), every expression with Prometheus' grammar and
 * type checks (function arguments, operators, aggregations, modifiers, selectors, label
 * matcher regexes), and the templates of alert labels and annotations. An empty result
 * means promtool would accept the file. Findings carry the rule, the line (of the rule or
 * of the YAML problem), the column where known and a `fix` where obvious. Pure: no I/O.
 *
 * @public
 */
export function validateRuleFile(yamlText: string): LintFinding[] {
  return validateRules(yamlText).findings;
}
