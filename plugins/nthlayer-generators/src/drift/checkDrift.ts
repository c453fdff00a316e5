import {
  DriftFinding,
  DriftReport,
  DriftTargetStatus,
  summarizeDrift,
} from '@nthlayer/backstage-plugin-common';
import { normaliseDashboard } from '../grafana/drift/normaliseDashboard';
import { diffDashboard } from '../grafana/drift/diffDashboard';
import { PagerDutyDesiredState } from '../pagerduty/generatePagerDuty';
import { PagerDutyReader, observePagerDuty } from '../pagerduty/observePagerDuty';
import { diffPagerDuty } from '../pagerduty/diffPagerDuty';
import { Artifact } from '../types';
import { diffRules } from './diffRules';
import { expectedRuleGroups } from './expectedRules';
import { ObservedRuleGroup } from './observedRules';

/**
 * Where drift reads what runs. A target left out is `not-configured` (with `detail` from
 * {@link CheckDriftInput.notConfigured} when given) and never changes the exit code.
 *
 * @public
 */
export interface DriftReaders {
  /**
   * The rule groups of the entity's Prometheus instance, by name. The caller reads
   * `/api/v1/rules` once per instance per run and hands every entity the same index.
   */
  rules?: { instance: string; groups: () => Promise<Map<string, ObservedRuleGroup[]>> };
  /** The dashboard of a uid, as `GET /api/dashboards/uid/:uid` answers it, or undefined on 404. */
  grafana?: { instance: string; getDashboard: (uid: string) => Promise<unknown | undefined> };
  /** PagerDuty's REST API. */
  pagerduty?: PagerDutyReader;
}

/** Input of {@link checkDrift}. @public */
export interface CheckDriftInput {
  entityRef: string;
  /** The service's name, as the generated rule groups carry it. */
  service: string;
  /** What NthLayer generates for the service now. */
  artifacts: Artifact[];
  readers: DriftReaders;
  /** Why a target is not configured, by target (shown instead of a generic sentence). */
  notConfigured?: Partial<Record<'rules' | 'dashboard' | 'pagerduty', string>>;
  /** Findings and statuses computed elsewhere (the backend's budget trend). */
  extra?: { targets: DriftTargetStatus[]; findings: DriftFinding[] };
  now?: Date;
}

type Target = 'rules' | 'dashboard' | 'pagerduty';
interface TargetResult {
  status: DriftTargetStatus;
  findings: DriftFinding[];
}

const NOT_CONFIGURED: Record<Target, string> = {
  rules: 'No Prometheus instance is configured for this entity.',
  dashboard: 'No Grafana instance is configured.',
  pagerduty: 'No PagerDuty token is configured.',
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function checkTarget(
  target: Target,
  instance: string | undefined,
  run: () => Promise<DriftFinding[]>,
): Promise<TargetResult> {
  try {
    const findings = await run();
    return { status: { target, state: 'checked', ...(instance ? { instance } : {}) }, findings };
  } catch (error) {
    return {
      status: { target, state: 'unreachable', ...(instance ? { instance } : {}), detail: errorText(error) },
      findings: [],
    };
  }
}

function artifactJson(artifacts: Artifact[], kind: Artifact['kind']): unknown | undefined {
  const artifact = artifacts.find(a => a.kind === kind);
  return artifact ? JSON.parse(artifact.content) : undefined;
}

function targetChecks(input: CheckDriftInput): Array<TargetResult | Promise<TargetResult>> {
  const { readers, artifacts } = input;
  const notConfigured = (target: Target): TargetResult => ({
    status: { target, state: 'not-configured', detail: input.notConfigured?.[target] ?? NOT_CONFIGURED[target] },
    findings: [],
  });
  const { rules, grafana, pagerduty } = readers;
  // Parsed only for a target that is read.
  const dashboard = grafana ? artifactJson(artifacts, 'grafana-dashboard') : undefined;
  const desiredPagerDuty = pagerduty ? (artifactJson(artifacts, 'pagerduty') as PagerDutyDesiredState | undefined) : undefined;
  return [
    rules
      ? checkTarget('rules', rules.instance, async () =>
          diffRules({
            service: input.service,
            expected: expectedRuleGroups(artifacts),
            observed: await rules.groups(),
            instance: rules.instance,
          }),
        )
      : notConfigured('rules'),
    grafana && dashboard
      ? checkTarget('dashboard', grafana.instance, async () =>
          diffDashboard({
            expected: dashboard,
            observed: await grafana.getDashboard(normaliseDashboard(dashboard).uid),
            instance: grafana.instance,
          }),
        )
      : notConfigured('dashboard'),
    pagerduty && desiredPagerDuty
      ? checkTarget('pagerduty', undefined, async () =>
          diffPagerDuty(desiredPagerDuty, await observePagerDuty(pagerduty, desiredPagerDuty)),
        )
      : notConfigured('pagerduty'),
  ];
}

/**
 * The drift of one service: what it generates now against what each configured target runs.
 * A target that cannot be read is `unreachable` with the reason, never "no drift"; the
 * targets are read concurrently. Shared by the backend's drift task and `nthlayer drift`.
 *
 * @public
 */
export async function checkDrift(input: CheckDriftInput): Promise<DriftReport> {
  const results = await Promise.all(targetChecks(input));
  const findings = [...results.flatMap(r => r.findings), ...(input.extra?.findings ?? [])];
  return {
    entityRef: input.entityRef,
    checkedAt: (input.now ?? new Date()).toISOString(),
    targets: [...results.map(r => r.status), ...(input.extra?.targets ?? [])],
    findings,
    summary: summarizeDrift(findings),
  };
}
