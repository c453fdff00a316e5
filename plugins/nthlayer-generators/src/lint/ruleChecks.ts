import { modelDurationMs } from './promqlLexical';
import { LintFinding } from './types';

/** A rule as read from a rule file, with where it is. */
export interface LocatedRule {
  group: string;
  line?: number;
  /** 1-based position of the rule in its group. */
  index?: number;
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

/**
 * `alerts/for`: alerts with a non-zero `for` (a single evaluation must not fire).
 * Malformed durations and `for` on recording rules are reported by `readRuleFile`.
 */
export function checkFor({ rule }: LocatedRule): RuleFinding[] {
  if (!rule.alert) return [];
  if (rule.for === undefined || rule.for === null) {
    return [
      {
        check: 'alerts/for',
        severity: 'warning',
        message: 'alert has no "for": it fires on a single evaluation',
        fix: 'add "for: 5m" (or longer)',
      },
    ];
  }
  return modelDurationMs(String(rule.for)) === 0
    ? [
        {
          check: 'alerts/for',
          severity: 'warning',
          message: '"for: 0" fires on a single evaluation; use at least 1m',
          fix: 'for: 1m',
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
