// js-yaml reads the generated files about ten times faster than `yaml` (0.8 vs 8.2 ms a
// service, measured): the drift task reads every managed service's rules each run.
import { load } from 'js-yaml';
import { Artifact } from '../types';
import { takeRuleDocument } from './ruleDocuments';
import { stringMap } from './stringMaps';

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

/**
 * The rule groups of a service's generated rule files (SLO rules and technology alerts),
 * read from the artifacts: drift compares exactly what NthLayer writes.
 *
 * @public
 */
export function expectedRuleGroups(artifacts: Artifact[]): ExpectedRuleGroup[] {
  return artifacts.flatMap(artifact =>
    artifact.kind === 'prometheus-rules' || artifact.kind === 'technology-alerts' ? artifactGroups(artifact) : [],
  );
}

/** Read once per artifact object: the backend keeps generated sets, so repeat drift runs parse nothing. */
const parsedGroups = new WeakMap<Artifact, ExpectedRuleGroup[]>();

function artifactGroups(artifact: Artifact): ExpectedRuleGroup[] {
  const cached = parsedGroups.get(artifact);
  if (cached) return cached;
  // The document the file was written from when this process generated it, else the text read.
  const doc = (takeRuleDocument(artifact) ?? load(artifact.content)) as {
    groups?: Array<{ name: string; rules?: Array<Record<string, unknown>> }>;
  };
  const groups = (doc?.groups ?? []).map(group => ({
    name: group.name,
    filename: artifact.filename,
    rules: (group.rules ?? []).map(
      (rule): ExpectedRule => ({
        type: rule.alert !== undefined ? 'alerting' : 'recording',
        name: String(rule.alert ?? rule.record),
        expr: String(rule.expr),
        ...(rule.for !== undefined ? { for: String(rule.for) } : {}),
        labels: stringMap(rule.labels, String),
        annotations: stringMap(rule.annotations, String),
      }),
    ),
  }));
  parsedGroups.set(artifact, groups);
  return groups;
}
