import { ServiceTier, SloKind, SloStatus } from '../types';
import { ScoreComponent, ScoreComponentId, ServiceScore } from './api';
import { finite, plural, roundTo } from './numbers';

/** One SLO of a service, as the score reads it. @public */
export interface ServiceScoreSlo {
  name: string;
  kind: SloKind;
  /** Target in percent, e.g. 99.9. */
  targetPercent: number;
  /** Measured SLI in percent over the window, null without data. */
  sli: number | null;
  status: SloStatus;
  /** Remaining error budget ratio (negative when overspent), null when unknown. */
  remainingRatio: number | null;
  goodEvents: number | null;
  totalEvents: number | null;
}

/** Everything a service's reliability score is computed from (all over a 30-day window). @public */
export interface ServiceScoreInput {
  tier: ServiceTier;
  slos: ServiceScoreSlo[];
  /** Incidents over the scoring window (30 d); null when PagerDuty is not configured or the service is not mapped to a PagerDuty service. */
  incidents: { count: number; resolved: number; mttrMinutes: number | null; open: number } | null;
  /** Finished deployments over the scoring window. */
  deployments: { succeeded: number; failed: number; rolledBack: number };
  /** Its dependencies that NthLayer manages, with their worst SLO status (null = unknown). */
  dependencies: Array<{ ref: string; status: SloStatus | null }>;
}

/**
 * The weight of each score component (DESIGN §8), in the order the components are listed:
 * SLO compliance 30, incidents 25, deployments 20, error budget 15, dependencies 10.
 *
 * @public
 */
export const SCORE_MAX_POINTS: Readonly<Record<ScoreComponentId, number>> = {
  'slo-compliance': 30,
  incidents: 25,
  deployments: 20,
  'error-budget': 15,
  dependencies: 10,
};

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = roundTo;
/** A number for a detail sentence: at most `decimals` decimals, no trailing zeros. */
const num = (v: number, decimals = 2) => String(round(v, decimals));

function component(
  id: ScoreComponentId,
  points: number | null,
  numbers: Record<string, number | null>,
  detail: string,
): ScoreComponent {
  return { id, maxPoints: SCORE_MAX_POINTS[id], points: points === null ? null : round(points, 2), numbers, detail };
}

/**
 * SLO compliance (30 points): of the SLOs with a measured SLI, the share that meets its target
 * (`sli >= targetPercent`): points = 30 × met / counted. No SLO with data → no points.
 */
function sloCompliance(slos: ServiceScoreSlo[]): ScoreComponent {
  const counted = slos.filter(s => finite(s.sli));
  if (counted.length === 0) {
    return component('slo-compliance', null, { met: null, total: 0 }, 'no SLO has measured data yet');
  }
  const met = counted.filter(s => (s.sli as number) >= s.targetPercent).length;
  const points = (30 * met) / counted.length;
  return component(
    'slo-compliance',
    points,
    { met, total: counted.length },
    `${met} of ${plural(counted.length, 'SLO')} with data meet their target: 30 × ${met}/${counted.length} = ${num(points)}`,
  );
}

/**
 * Incidents (25 points): countFactor = max(0, 1 − count/5); mttrFactor = 1 when nothing was
 * resolved or MTTR ≤ 30 min, 0 when MTTR ≥ 240 min, linear in between; points =
 * 25 × (0.6 × countFactor + 0.4 × mttrFactor). When incidents were resolved but the MTTR is
 * unknown, only the count is scored: 25 × countFactor. No PagerDuty data → no points.
 */
function incidentsComponent(incidents: ServiceScoreInput['incidents']): ScoreComponent {
  if (!incidents) {
    return component(
      'incidents',
      null,
      { count: null, open: null, resolved: null, mttrMinutes: null },
      'PagerDuty is not configured or not mapped to this service',
    );
  }
  const { count, open, resolved, mttrMinutes } = incidents;
  const numbers = { count, open, resolved, mttrMinutes };
  const countFactor = clamp(1 - count / 5, 0, 1);
  const counts = `${plural(count, 'incident')} (${open} open, ${resolved} resolved) in 30 days: count factor max(0, 1 − ${count}/5) = ${num(countFactor, 4)}`;
  if (resolved > 0 && !finite(mttrMinutes)) {
    const points = 25 * countFactor;
    return component('incidents', points, numbers, `${counts}; MTTR unknown, so only the count is scored: 25 × ${num(countFactor, 4)} = ${num(points)}`);
  }
  let mttrFactor = 1;
  let mttrText = 'nothing resolved, so MTTR factor 1';
  if (resolved > 0) {
    const mttr = mttrMinutes as number;
    mttrFactor = clamp((240 - mttr) / (240 - 30), 0, 1);
    mttrText = `MTTR ${num(mttr, 1)} min → MTTR factor ${num(mttrFactor, 4)} (1 at ≤ 30 min, 0 at ≥ 240 min)`;
  }
  const points = 25 * (0.6 * countFactor + 0.4 * mttrFactor);
  return component(
    'incidents',
    points,
    numbers,
    `${counts}; ${mttrText}: 25 × (0.6 × ${num(countFactor, 4)} + 0.4 × ${num(mttrFactor, 4)}) = ${num(points)}`,
  );
}

/**
 * Deployments (20 points): of the finished deployments, successRate = succeeded / finished and
 * rollbackRate = rolledBack / finished; points = 20 × (0.7 × successRate + 0.3 × (1 − rollbackRate)).
 * No finished deployment → no points.
 */
function deploymentsComponent(d: ServiceScoreInput['deployments']): ScoreComponent {
  const finished = d.succeeded + d.failed + d.rolledBack;
  if (!(finished > 0)) {
    return component(
      'deployments',
      null,
      { succeeded: d.succeeded, failed: d.failed, rolledBack: d.rolledBack, successRate: null, rollbackRate: null },
      'no finished deployments in 30 days',
    );
  }
  const successRate = d.succeeded / finished;
  const rollbackRate = d.rolledBack / finished;
  const points = 20 * (0.7 * successRate + 0.3 * (1 - rollbackRate));
  return component(
    'deployments',
    points,
    { succeeded: d.succeeded, failed: d.failed, rolledBack: d.rolledBack, successRate: round(successRate, 4), rollbackRate: round(rollbackRate, 4) },
    `${plural(finished, 'finished deployment')} in 30 days (${d.succeeded} succeeded, ${d.failed} failed, ${d.rolledBack} rolled back): ` +
      `20 × (0.7 × ${num(successRate, 4)} + 0.3 × (1 − ${num(rollbackRate, 4)})) = ${num(points)}`,
  );
}

/**
 * Error budget (15 points): the lowest remaining budget ratio of the SLOs that know theirs,
 * clamped to 0…1: points = 15 × clamp(min remainingRatio, 0, 1). None known → no points.
 */
function errorBudget(slos: ServiceScoreSlo[]): ScoreComponent {
  const known = slos.filter(s => finite(s.remainingRatio));
  if (known.length === 0) {
    return component('error-budget', null, { minRemainingRatio: null, slos: 0 }, 'no SLO has a known error budget yet');
  }
  const min = Math.min(...known.map(s => s.remainingRatio as number));
  const points = 15 * clamp(min, 0, 1);
  return component(
    'error-budget',
    points,
    { minRemainingRatio: min, slos: known.length },
    `lowest remaining budget of ${plural(known.length, 'SLO')} is ${num(min * 100)} %: 15 × clamp(${num(min, 4)}, 0, 1) = ${num(points)}`,
  );
}

const DEPENDENCY_VALUE: Partial<Record<SloStatus, number>> = { healthy: 1, warning: 0.5, critical: 0, exhausted: 0 };

/**
 * Dependencies (10 points): the managed dependencies with data (status healthy, warning,
 * critical or exhausted; not no-data, pending or unknown) are worth healthy 1, warning 0.5,
 * critical and exhausted 0; points = 10 × their mean. None with data → no points.
 */
function dependenciesComponent(dependencies: ServiceScoreInput['dependencies']): ScoreComponent {
  const values = dependencies
    .map(d => (d.status === null ? undefined : DEPENDENCY_VALUE[d.status]))
    .filter((v): v is number => v !== undefined);
  const healthy = dependencies.filter(d => d.status === 'healthy').length;
  const warning = dependencies.filter(d => d.status === 'warning').length;
  const critical = dependencies.filter(d => d.status === 'critical' || d.status === 'exhausted').length;
  if (values.length === 0) {
    return component('dependencies', null, { healthy, warning, critical, counted: 0 }, 'no managed dependency with data');
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const points = 10 * mean;
  return component(
    'dependencies',
    points,
    { healthy, warning, critical, counted: values.length },
    `${plural(values.length, 'managed dependency', 'managed dependencies')} with data (${healthy} healthy × 1, ${warning} warning × 0.5, ${critical} critical × 0): ` +
      `10 × ${num(mean, 4)} = ${num(points)}`,
  );
}

/**
 * A service's reliability score (DESIGN §8): five components — SLO compliance (30 points),
 * incidents (25), deployments (20), error budget (15) and dependencies (10), always in this
 * order. score = 100 × Σ points / Σ maxPoints over the components that have data (their points
 * as listed, rounded to two decimals), rounded to one decimal. A component without data is left
 * out of the weighting, never scored 0 or full; with no data at all the score is null. Pure.
 *
 * @public
 */
export function scoreService(input: ServiceScoreInput): ServiceScore {
  const components = [
    sloCompliance(input.slos),
    incidentsComponent(input.incidents),
    deploymentsComponent(input.deployments),
    errorBudget(input.slos),
    dependenciesComponent(input.dependencies),
  ];
  const withData = components.filter(c => c.points !== null);
  if (withData.length === 0) return { score: null, components };
  const points = withData.reduce((a, c) => a + (c.points as number), 0);
  const max = withData.reduce((a, c) => a + c.maxPoints, 0);
  return { score: round((100 * points) / max, 1), components };
}
