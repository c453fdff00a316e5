import { parse } from 'yaml';
import { Artifact } from '../types';

/** A rule NthLayer generates, read back from its rule file. @public */
export interface ExpectedRule {
  type: 'alerting' | 'recording';
  name: string;
  expr: string;
  /** `for` of an alert as written (`2m`), absent for recording rules. */
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A rule group NthLayer generates. @public */
export interface ExpectedRuleGroup {
  name: string;
  /** The artifact's file name, to say which file is not loaded. */
  filename: string;
  rules: ExpectedRule[];
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/**
 * The rule groups of a service's generated rule files (SLO rules and technology alerts),
 * read from the artifacts: drift compares exactly what NthLayer writes.
 *
 * @public
 */
export function expectedRuleGroups(artifacts: Artifact[]): ExpectedRuleGroup[] {
  const groups: ExpectedRuleGroup[] = [];
  for (const artifact of artifacts) {
    if (artifact.kind !== 'prometheus-rules' && artifact.kind !== 'technology-alerts') continue;
    const doc = parse(artifact.content) as { groups?: Array<{ name: string; rules?: Array<Record<string, unknown>> }> };
    for (const group of doc?.groups ?? []) {
      groups.push({
        name: group.name,
        filename: artifact.filename,
        rules: (group.rules ?? []).map(rule => ({
          type: 'alert' in rule ? 'alerting' : 'recording',
          name: String(rule.alert ?? rule.record),
          expr: String(rule.expr),
          ...(rule.for !== undefined ? { for: String(rule.for) } : {}),
          labels: stringMap(rule.labels),
          annotations: stringMap(rule.annotations),
        })),
      });
    }
  }
  return groups;
}
