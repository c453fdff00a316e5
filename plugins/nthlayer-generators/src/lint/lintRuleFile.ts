import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import { checkAggregate, checkRate, checkSelector } from './promqlChecks';
import { durationMs, parsePromql, promqlSyntaxErrors } from './promqlSyntax';
import {
  LocatedRule,
  checkAnnotations,
  checkDuplicates,
  checkFor,
} from './ruleChecks';
import { LintFinding, LintOptions } from './types';

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
export function readRules(yamlText: string, findings: LintFinding[]): LocatedRule[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter });
  const lineOf = (node: { range?: [number, number, number] | null }) =>
    node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  for (const error of doc.errors) {
    findings.push({
      check: 'yaml/parse',
      severity: 'error',
      message: error.message,
      line: lineCounter.linePos(error.pos[0]).line,
    });
  }
  if (doc.errors.length) return [];
  const groups = doc.get('groups');
  if (!isSeq(groups)) {
    findings.push({
      check: 'yaml/parse',
      severity: 'error',
      message: 'a rule file needs a "groups" list',
    });
    return [];
  }
  const js = doc.toJS({ maxAliasCount: 1000 }) as {
    groups: Array<{ rules?: unknown[] } | null>;
  };
  const rules: LocatedRule[] = [];
  groups.items.forEach((group, g) => {
    const name = isMap(group) ? String(group.get('name') ?? '') : '';
    const list = isMap(group) ? group.get('rules') : undefined;
    if (!name || !isSeq(list)) {
      findings.push({
        check: 'yaml/parse',
        severity: 'error',
        message: 'every group needs a "name" and a "rules" list',
        line: isMap(group) ? lineOf(group) : undefined,
      });
      return;
    }
    list.items.forEach((item, r) => {
      const rule = (
        isMap(item) ? js.groups[g]?.rules?.[r] : {}
      ) as LocatedRule['rule'];
      const line = isMap(item) ? lineOf(item) : undefined;
      if (!rule.record === !rule.alert) {
        findings.push({
          check: 'yaml/parse',
          severity: 'error',
          message: 'a rule needs exactly one of "record" or "alert"',
          group: name,
          line,
        });
        return;
      }
      rules.push({ group: name, line, rule });
    });
  });
  return rules;
}

/**
 * Lints a Prometheus rule file without a Prometheus: parses every expression with
 * Prometheus' own grammar (`@prometheus-io/lezer-promql`) and applies checks named like
 * pint's — `promql/syntax`, `promql/rate`, `promql/aggregate`, `promql/selector` (when
 * `options.serviceSelector` is set), `alerts/for`, `alerts/annotation`, `rule/duplicate` —
 * plus `promql/counter-name` and `yaml/parse` for files that are not rule files. A file
 * switches checks off for itself with a comment line
 * `# nthlayer-lint file/disable <check> …` (`yaml/parse` and `promql/syntax` cannot be
 * switched off). Pure: no I/O.
 * `promtoolCheck` gives Prometheus' own verdict where promtool is installed.
 *
 * @public
 */
export function lintRuleFile(
  yamlText: string,
  options: LintOptions = {},
): LintFinding[] {
  const findings: LintFinding[] = [];
  const scrapeMs =
    durationMs(options.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL) ?? 30_000;
  const required = options.requiredAnnotations ?? ['runbook_url'];
  const rules = readRules(yamlText, findings);

  for (const located of rules) {
    const where = {
      group: located.group,
      rule: String(located.rule.record ?? located.rule.alert),
      line: located.line,
    };
    const expr =
      typeof located.rule.expr === 'string' ||
      typeof located.rule.expr === 'number'
        ? String(located.rule.expr)
        : '';
    const syntax = promqlSyntaxErrors(expr);
    for (const message of syntax)
      findings.push({
        check: 'promql/syntax',
        severity: 'error',
        message,
        ...where,
      });
    if (!syntax.length) {
      const tree = parsePromql(expr);
      const exprFindings = [
        ...checkRate(expr, tree, scrapeMs),
        ...checkAggregate(expr, tree),
        ...(options.serviceSelector
          ? checkSelector(expr, tree, options.serviceSelector)
          : []),
      ];
      for (const f of exprFindings) findings.push({ ...f, ...where });
    }
    for (const f of [
      ...checkFor(located),
      ...checkAnnotations(located, required),
    ]) {
      findings.push({ ...f, ...where });
    }
  }
  findings.push(...checkDuplicates(rules));
  const disabled = disabledChecks(yamlText);
  disabled.delete('yaml/parse');
  disabled.delete('promql/syntax');
  return disabled.size ? findings.filter(f => !disabled.has(f.check)) : findings;
}
