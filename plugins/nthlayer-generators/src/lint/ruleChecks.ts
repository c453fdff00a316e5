import { parsePrometheusDuration } from '@nthlayer/backstage-plugin-common';
import { LintFinding } from './types';

/** A rule as read from a rule file, with where it is. */
export interface LocatedRule {
  group: string;
  line?: number;
  rule: {
    record?: unknown;
    alert?: unknown;
    expr?: unknown;
    for?: unknown;
    labels?: Record<string, unknown>;
    annotations?: Record<string, unknown>;
  };
}

type RuleFinding = Omit<LintFinding, 'group' | 'rule' | 'line'>;

/** `alerts/for`: a valid, non-zero `for` on alerts (a single evaluation must not fire); none on records. */
export function checkFor({ rule }: LocatedRule): RuleFinding[] {
  if (rule.for === undefined || rule.for === null) {
    return rule.alert
      ? [
          {
            check: 'alerts/for',
            severity: 'warning',
            message: 'alert has no "for": it fires on a single evaluation',
          },
        ]
      : [];
  }
  if (!rule.alert) {
    return [
      {
        check: 'alerts/for',
        severity: 'error',
        message: '"for" is only valid on alerting rules',
      },
    ];
  }
  // Prometheus reads `for:` with model.ParseDuration: `for: 300` is rejected, unlike a PromQL range.
  const ms = parsePrometheusDuration(String(rule.for));
  if (ms === undefined) {
    return [
      {
        check: 'alerts/for',
        severity: 'error',
        message: `"for: ${rule.for}" is not a Prometheus duration`,
      },
    ];
  }
  return ms === 0
    ? [
        {
          check: 'alerts/for',
          severity: 'warning',
          message: '"for: 0" fires on a single evaluation; use at least 1m',
        },
      ]
    : [];
}

/** `alerts/annotation`: alerts carry the required annotations; runbook_url is a URL. */
export function checkAnnotations(
  { rule }: LocatedRule,
  required: string[],
): RuleFinding[] {
  if (!rule.alert) return [];
  const annotations = rule.annotations ?? {};
  const findings: RuleFinding[] = required
    .filter(key => !String(annotations[key] ?? '').trim())
    .map(key => ({
      check: 'alerts/annotation',
      severity: 'warning',
      message: `alert has no ${key} annotation`,
    }));
  const runbook = annotations.runbook_url;
  if (runbook !== undefined && !/^https?:\/\/\S+$/.test(String(runbook))) {
    findings.push({
      check: 'alerts/annotation',
      severity: 'warning',
      message: `runbook_url "${runbook}" is not an http(s) URL`,
    });
  }
  return findings;
}

function ruleKey(rule: LocatedRule['rule']): string {
  const labels = Object.entries(rule.labels ?? {})
    .map(([k, v]) => `${k}=${JSON.stringify(String(v))}`)
    .sort();
  return `${rule.record ? 'record' : 'alert'}:${String(
    rule.record ?? rule.alert,
  )}{${labels.join(',')}}`;
}

/** `rule/duplicate`: the same record or alert name with the same labels twice in the file. */
export function checkDuplicates(rules: LocatedRule[]): LintFinding[] {
  const seen = new Map<string, LocatedRule>();
  const findings: LintFinding[] = [];
  for (const located of rules) {
    const key = ruleKey(located.rule);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, located);
      continue;
    }
    findings.push({
      check: 'rule/duplicate',
      severity: 'error',
      message: `${key} is defined twice (first in group "${first.group}"${
        first.line ? ` line ${first.line}` : ''
      }); Prometheus would produce clashing series`,
      group: located.group,
      rule: String(located.rule.record ?? located.rule.alert),
      line: located.line,
    });
  }
  return findings;
}
