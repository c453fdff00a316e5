import {
  DriftFinding,
  DriftReport,
  DriftSeverity,
  DriftTarget,
  DriftTargetStatus,
} from '@nthlayer/backstage-plugin-common';

/**
 * Pure grouping and formatting for the drift card. No clock: callers pass `now`.
 */

/** Headings of the card's sections, one per target. */
export const TARGET_TITLES: Record<DriftTarget, string> = {
  rules: 'Prometheus rules',
  'slo-threshold': 'SLO thresholds',
  dashboard: 'Grafana dashboard',
  pagerduty: 'PagerDuty',
  'budget-trend': 'Budget trend',
};

/** Order of sections for findings whose target the report has no status for. */
const TARGET_ORDER: DriftTarget[] = [
  'rules',
  'slo-threshold',
  'dashboard',
  'pagerduty',
  'budget-trend',
];

const SEVERITY_RANK: Record<DriftSeverity, number> = {
  critical: 0,
  warning: 1,
  info: 2,
};

/** One section of the card: a target, how its check went and its findings. */
export interface DriftSection {
  target: DriftTarget;
  title: string;
  /**
   * The check the findings come from. SLO thresholds are read from the loaded rules, so
   * their section carries the status of `rules`. Undefined when the report has no status
   * for the target (its findings are shown all the same).
   */
  status?: DriftTargetStatus;
  /** Critical first, then warning, then info; otherwise in the report's order. */
  findings: DriftFinding[];
}

/** Findings critical first, then warning, then info, each severity in its given order. */
export function sortFindings(findings: DriftFinding[]): DriftFinding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        (SEVERITY_RANK[a.finding.severity] ?? 3) -
          (SEVERITY_RANK[b.finding.severity] ?? 3) || a.index - b.index,
    )
    .map(({ finding }) => finding);
}

/**
 * The card's sections: one per target in the order of `report.targets`, SLO thresholds right
 * after Prometheus rules (with the rules' status), then any target that has findings but no
 * status. A target listed twice is shown once, with its first status.
 */
export function driftSections(report: DriftReport): DriftSection[] {
  const byTarget = new Map<DriftTarget, DriftFinding[]>();
  for (const finding of report.findings) {
    byTarget.set(finding.target, [
      ...(byTarget.get(finding.target) ?? []),
      finding,
    ]);
  }
  const sections: DriftSection[] = [];
  const shown = new Set<DriftTarget>();
  const add = (target: DriftTarget, status?: DriftTargetStatus) => {
    if (shown.has(target)) return;
    shown.add(target);
    sections.push({
      target,
      title: TARGET_TITLES[target] ?? target,
      status,
      findings: sortFindings(byTarget.get(target) ?? []),
    });
  };
  for (const status of report.targets) {
    if (shown.has(status.target)) continue;
    add(status.target, status);
    if (status.target === 'rules') add('slo-threshold', status);
  }
  const rest = [...byTarget.keys()].filter(t => !shown.has(t));
  rest.sort(
    (a, b) =>
      (TARGET_ORDER.indexOf(a) + 1 || 99) - (TARGET_ORDER.indexOf(b) + 1 || 99),
  );
  for (const target of rest) add(target);
  return sections;
}

/** Targets that could not be read, by title (`Prometheus rules`, `PagerDuty`). */
export function unreachableTargets(report: DriftReport): string[] {
  const titles = report.targets
    .filter(t => t.state === 'unreachable')
    .map(t => TARGET_TITLES[t.target] ?? t.target);
  return [...new Set(titles)];
}

/** `1 critical`, `2 warnings`, `0 info`. */
export function severityCount(severity: DriftSeverity, count: number): string {
  if (severity === 'warning')
    return `${count} warning${count === 1 ? '' : 's'}`;
  return `${count} ${severity}`;
}

/** `2 critical · 1 warning · 0 info`. */
export function summaryText(summary: Record<DriftSeverity, number>): string {
  return (['critical', 'warning', 'info'] as const)
    .map(s => severityCount(s, summary[s] ?? 0))
    .join(' · ');
}

/**
 * Splits two texts into their common start, the differing middles and their common end, to
 * mark where they differ. The parts of each text, joined, give the text back exactly.
 */
export function splitDifference(
  expected: string,
  actual: string,
): { prefix: string; expected: string; actual: string; suffix: string } {
  const shorter = Math.min(expected.length, actual.length);
  let start = 0;
  while (start < shorter && expected[start] === actual[start]) start++;
  let end = 0;
  while (
    end < shorter - start &&
    expected[expected.length - 1 - end] === actual[actual.length - 1 - end]
  ) {
    end++;
  }
  return {
    prefix: expected.slice(0, start),
    expected: expected.slice(start, expected.length - end),
    actual: actual.slice(start, actual.length - end),
    suffix: expected.slice(expected.length - end),
  };
}
