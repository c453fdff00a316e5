import { DriftFinding } from '@nthlayer/backstage-plugin-common';
import { samePromql } from '../../drift/canonicalPromql';
import { NormalisedPanel, NormalisedTarget, normaliseDashboard } from './normaliseDashboard';

/** Input of {@link diffDashboard}. @public */
export interface DiffDashboardInput {
  /** The dashboard NthLayer generates (`buildGrafanaDashboard(...).dashboard` or its JSON). */
  expected: unknown;
  /**
   * The dashboard Grafana has under the same uid (its model, or the whole
   * `GET /api/dashboards/uid/:uid` answer); undefined when Grafana has none.
   */
  observed: unknown | undefined;
  /** The Grafana instance's name, for messages. */
  instance?: string;
}

function onInstance(instance: string | undefined): string {
  return instance ? `Grafana "${instance}"` : 'Grafana';
}

function inRow(panel: NormalisedPanel): string {
  return panel.row === undefined ? '' : ` (row "${panel.row}")`;
}

/**
 * Pairs expected with observed panels by title: in the same row first, then anywhere, each
 * in document order (titles may repeat across rows).
 */
function pairPanels(expected: NormalisedPanel[], observed: NormalisedPanel[]) {
  const pairs = new Map<NormalisedPanel, NormalisedPanel>();
  const taken = new Set<NormalisedPanel>();
  const passes: Array<(e: NormalisedPanel, o: NormalisedPanel) => boolean> = [
    (e, o) => e.title === o.title && e.row === o.row,
    (e, o) => e.title === o.title,
  ];
  for (const matches of passes) {
    for (const panel of expected) {
      if (pairs.has(panel)) continue;
      const match = observed.find(o => !taken.has(o) && matches(panel, o));
      if (!match) continue;
      pairs.set(panel, match);
      taken.add(match);
    }
  }
  return { pairs, extra: observed.filter(o => !taken.has(o)) };
}

/** Pairs queries by refId, the rest by position among those not yet paired. */
function pairTargets(expected: NormalisedTarget[], observed: NormalisedTarget[]) {
  const pairs = new Map<NormalisedTarget, NormalisedTarget>();
  const taken = new Set<NormalisedTarget>();
  for (const target of expected) {
    if (target.refId === undefined) continue;
    const match = observed.find(o => !taken.has(o) && o.refId === target.refId);
    if (!match) continue;
    pairs.set(target, match);
    taken.add(match);
  }
  expected.forEach((target, i) => {
    const match = observed[i];
    if (pairs.has(target) || !match || taken.has(match)) return;
    pairs.set(target, match);
    taken.add(match);
  });
  return { pairs, extra: observed.filter(o => !taken.has(o)) };
}

function targetField(target: NormalisedTarget, index: number): string {
  return `targets[${target.refId ?? index}].expr`;
}

function diffTargets(expected: NormalisedPanel, observed: NormalisedPanel): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const { pairs, extra } = pairTargets(expected.targets, observed.targets);
  const name = `Panel "${expected.title}"${inRow(expected)}`;
  expected.targets.forEach((target, i) => {
    const field = targetField(target, i);
    const match = pairs.get(target);
    if (!match) {
      findings.push({
        target: 'dashboard',
        severity: 'warning',
        kind: 'changed',
        object: expected.title,
        field,
        expected: target.expr,
        message: `${name} lost its query ${target.refId ?? i + 1}; regenerate and re-import the dashboard.`,
      });
      return;
    }
    if (samePromql(target.expr, match.expr)) return;
    findings.push({
      target: 'dashboard',
      severity: 'warning',
      kind: 'changed',
      object: expected.title,
      field,
      expected: target.expr,
      actual: match.expr,
      message: `${name} queries something other than what NthLayer generates (query ${target.refId ?? i + 1}); regenerate and re-import the dashboard, or change the catalog.`,
    });
  });
  extra.forEach(target => {
    findings.push({
      target: 'dashboard',
      severity: 'info',
      kind: 'extra',
      object: expected.title,
      field: targetField(target, observed.targets.indexOf(target)),
      actual: target.expr,
      message: `${name} has a query NthLayer does not generate; it is lost when the dashboard is regenerated.`,
    });
  });
  return findings;
}

/**
 * Differences between the dashboard NthLayer generates and the one Grafana has under its
 * uid, as drift findings of target `dashboard`: no dashboard (critical `missing`), another
 * title (warning), a generated panel missing (warning `missing`, object the panel's title),
 * a panel NthLayer does not generate (info `extra`), a query whose PromQL differs (warning
 * `changed`, field `targets[<refId>].expr`; queries pair by refId, else by position), a
 * lost query (warning) or an added one (info), another panel type (info). Panels pair by
 * title. What Grafana rewrites on save (ids, versions, schema, layout, rows collapsed or
 * expanded, data source references, field defaults) and PromQL that only prints
 * differently are no drift. Pure.
 *
 * @public
 */
export function diffDashboard({ expected, observed, instance }: DiffDashboardInput): DriftFinding[] {
  const want = normaliseDashboard(expected);
  const grafana = onInstance(instance);
  if (observed === undefined || observed === null) {
    return [
      {
        target: 'dashboard',
        severity: 'critical',
        kind: 'missing',
        object: want.uid,
        expected: want.title,
        message: `Dashboard with uid ${want.uid} not found in ${grafana}; import or provision the generated dashboard "${want.title}".`,
      },
    ];
  }
  const have = normaliseDashboard(observed);
  const findings: DriftFinding[] = [];
  if (have.title !== want.title) {
    findings.push({
      target: 'dashboard',
      severity: 'warning',
      kind: 'changed',
      object: want.uid,
      field: 'title',
      expected: want.title,
      actual: have.title,
      message: `Dashboard ${want.uid} in ${grafana} is titled "${have.title}", not "${want.title}"; regenerate and re-import it.`,
    });
  }
  const { pairs, extra } = pairPanels(want.panels, have.panels);
  for (const panel of want.panels) {
    const match = pairs.get(panel);
    if (!match) {
      findings.push({
        target: 'dashboard',
        severity: 'warning',
        kind: 'missing',
        object: panel.title,
        expected: panel.title,
        message: `Panel "${panel.title}"${inRow(panel)} of dashboard ${want.uid} is not in ${grafana}; regenerate and re-import the dashboard.`,
      });
      continue;
    }
    if (match.type !== panel.type) {
      findings.push({
        target: 'dashboard',
        severity: 'info',
        kind: 'changed',
        object: panel.title,
        field: 'type',
        expected: panel.type,
        actual: match.type,
        message: `Panel "${panel.title}"${inRow(panel)} is a ${match.type || 'panel of no type'} in ${grafana}; NthLayer generates a ${panel.type}.`,
      });
    }
    findings.push(...diffTargets(panel, match));
  }
  for (const panel of extra) {
    findings.push({
      target: 'dashboard',
      severity: 'info',
      kind: 'extra',
      object: panel.title,
      actual: panel.title,
      message: `Panel "${panel.title}"${inRow(panel)} of dashboard ${want.uid} in ${grafana} is not generated by NthLayer; it is lost when the dashboard is regenerated.`,
    });
  }
  return findings;
}
