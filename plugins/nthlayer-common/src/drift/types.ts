/**
 * Drift (DESIGN §6): the distance between what NthLayer would generate now and what runs.
 * Shared by the differs (generators), the backend's drift task, the entity card and the CLI.
 */

/** What a drift finding is about. @public */
export type DriftTarget = 'rules' | 'dashboard' | 'pagerduty' | 'slo-threshold' | 'budget-trend';

/** How much a drift finding matters; CI fails on `critical`. @public */
export type DriftSeverity = 'info' | 'warning' | 'critical';

/**
 * The kind of difference: an object NthLayer generates that does not run (`missing`), an
 * NthLayer-named object that is no longer generated (`extra`), a field that differs
 * (`changed`), a loaded rule whose evaluation fails (`error`), a loaded rule never evaluated
 * (`not-evaluated`), a budget that trends towards exhaustion (`trend`).
 *
 * @public
 */
export type DriftKind = 'missing' | 'extra' | 'changed' | 'error' | 'not-evaluated' | 'trend';

/** One difference between generated and observed state. @public */
export interface DriftFinding {
  target: DriftTarget;
  severity: DriftSeverity;
  kind: DriftKind;
  /**
   * The object: a rule as `name{label="value",…}` (its identifying labels) in its group, a
   * dashboard panel by title, a PagerDuty field path, an SLO name.
   */
  object: string;
  /** The field that differs (`expr`, `for`, `labels.severity`, `threshold`, …), when one does. */
  field?: string;
  /** What NthLayer generates (normalised text), when there is something to show. */
  expected?: string;
  /** What runs (normalised text), when there is something to show. */
  actual?: string;
  /** One sentence a reader can act on. */
  message: string;
}

/** Whether a target could be checked for an entity. @public */
export type DriftTargetState = 'checked' | 'unreachable' | 'not-configured';

/** The check of one target for one entity: never "no drift" when it could not be read. @public */
export interface DriftTargetStatus {
  target: 'rules' | 'dashboard' | 'pagerduty' | 'budget-trend';
  state: DriftTargetState;
  /** The configured instance that was read (Prometheus, Grafana), by name. */
  instance?: string;
  /** Why it could not be read, or why it is not configured. */
  detail?: string;
}

/** Counts of findings by severity. @public */
export interface DriftSummary {
  critical: number;
  warning: number;
  info: number;
}

/** The drift of one entity at one check. @public */
export interface DriftReport {
  entityRef: string;
  /** ISO time of the check. */
  checkedAt: string;
  targets: DriftTargetStatus[];
  findings: DriftFinding[];
  summary: DriftSummary;
}

/** Counts findings by severity. @public */
export function summarizeDrift(findings: DriftFinding[]): DriftSummary {
  const summary: DriftSummary = { critical: 0, warning: 0, info: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  return summary;
}

/**
 * The exit code of `nthlayer drift` and the meaning CI gives a report: 0 no drift, 1
 * warnings only, 2 critical drift, 3 a named target could not be checked (and nothing
 * critical was found among those that could).
 *
 * @public
 */
export function driftExitCode(findings: DriftFinding[], targets: DriftTargetStatus[]): 0 | 1 | 2 | 3 {
  const summary = summarizeDrift(findings);
  if (summary.critical > 0) return 2;
  if (targets.some(t => t.state === 'unreachable')) return 3;
  return summary.warning > 0 ? 1 : 0;
}
