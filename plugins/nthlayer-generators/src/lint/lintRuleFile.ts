import { checkAggregate, checkRate, checkSelector } from './promqlChecks';
import { durationMs, parsePromql } from './promqlSyntax';
import {
  LocatedRule,
  checkAnnotations,
  checkDuplicates,
  checkFor,
} from './ruleChecks';
import { readRuleFile } from './ruleFile';
import { LintFinding, LintOptions } from './types';
import { resultTypeFindings, validateRules } from './validateRuleFile';

const DEFAULT_SCRAPE_INTERVAL = '30s';

/** `# nthlayer-lint file/disable <check> [<check> …]`, on a comment line of its own. */
const FILE_DISABLE = /^#\s*nthlayer-lint\s+file\/disable\s+(.+)$/gm;

/** Checks a file switches off for itself with `nthlayer-lint file/disable` comments. @public */
export function disabledChecks(yamlText: string): Set<string> {
  const disabled = new Set<string>();
  for (const match of yamlText.matchAll(FILE_DISABLE)) {
    for (const check of match[1].trim().split(/\s+/)) disabled.add(check);
  }
  return disabled;
}

/** Reads the groups and rules of a rule file with their lines; structural problems as findings. */
export function readRules(
  yamlText: string,
  findings: LintFinding[],
): LocatedRule[] {
  const model = readRuleFile(yamlText);
  findings.push(...model.findings);
  return model.rules;
}

/**
 * Lints a Prometheus rule file without a Prometheus. First what Prometheus itself rejects
 * (`validateRuleFile`, the offline equivalent of `promtool check rules` of Prometheus
 * 2.42): `yaml/parse` (YAML and rule-file format), `promql/syntax` (grammar and type
 * checks of every expression), `alerts/for` (malformed durations, `for` on records),
 * `alerts/template` (alert label and annotation templates). Then checks named like pint's:
 * `promql/type` (a rule of a range vector or a string, which loads but never evaluates),
 * `promql/rate`, `promql/aggregate`, `promql/selector` (when `options.serviceSelector` is
 * set), `alerts/for` (missing or zero `for`), `alerts/annotation`, `rule/duplicate`, plus
 * `promql/counter-name`. A file switches the latter off for itself with a comment line
 * `# nthlayer-lint file/disable <check> …`; what Prometheus rejects cannot be switched
 * off. Pure: no I/O. `promtoolCheck` gives Prometheus' own verdict where promtool is
 * installed.
 *
 * @public
 */
export function lintRuleFile(
  yamlText: string,
  options: LintOptions = {},
): LintFinding[] {
  const scrapeMs =
    durationMs(options.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL) ?? 30_000;
  const required = options.requiredAnnotations ?? ['runbook_url'];
  const { rules, findings: rejected } = validateRules(yamlText);
  const policy: LintFinding[] = [];

  for (const validated of rules) {
    const located = validated.located;
    const where = {
      group: located.group,
      rule: String(located.rule.record ?? located.rule.alert),
      line: located.line,
    };
    const expr = String(located.rule.expr ?? '');
    if (validated.ast) {
      const tree = parsePromql(expr);
      const exprFindings = [
        ...checkRate(expr, tree, scrapeMs),
        ...checkAggregate(expr, tree),
        ...(options.serviceSelector
          ? checkSelector(expr, tree, options.serviceSelector)
          : []),
      ];
      policy.push(...resultTypeFindings(validated));
      for (const f of exprFindings) policy.push({ ...f, ...where });
    }
    for (const f of [
      ...checkFor(located),
      ...checkAnnotations(located, required),
    ]) {
      policy.push({ ...f, ...where });
    }
  }
  policy.push(...checkDuplicates(rules.map(r => r.located)));
  const disabled = disabledChecks(yamlText);
  return [...rejected, ...policy.filter(f => !disabled.has(f.check))];
}
