import {
  DriftFinding,
  DriftReport,
  DriftTargetStatus,
  EntityDriftResponse,
  summarizeDrift,
} from '@nthlayer/backstage-plugin-common';

/**
 * Test fixtures for the drift card (entity `component:default/checkout-api`). The findings are
 * exactly what the project's differs emit: `diffRules` of `@nthlayer/backstage-plugin-generators`
 * for the sample tier-1 service `checkout-api` (99.9 % availability, 30 d) against loaded rules
 * edited by hand, `diffDashboard`, `diffPagerDuty`, and `budgetTrendFinding` of
 * `@nthlayer/backstage-plugin-common`. The statuses are those `checkDrift` writes.
 */

export const ENTITY_REF = 'component:default/checkout-api';

export const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

/** The page alert's factor edited by hand: 0.0144 → 0.0288 in both windows (99.8 % encoded). */
export const thresholdFinding: DriftFinding = {
  target: 'slo-threshold',
  severity: 'critical',
  kind: 'changed',
  object:
    'nthlayer-checkout-api-availability: NthlayerErrorBudgetBurn{long_window="1h",severity="page",short_window="5m",slo="availability"}',
  field: 'threshold',
  expected: '99.9% (error ratio > 0.0144)',
  actual: '99.8% (error ratio > 0.0288)',
  message:
    'The loaded page alert of the availability SLO encodes an objective of 99.8%, the declared objective is 99.9%: it fires later than the SLO needs, so budget burns unnoticed. Other numbers of the expression differ too. Regenerate and redeploy the rule file.',
};

/** The latency SLO's rule group not loaded at all. */
export const missingGroupFinding: DriftFinding = {
  target: 'rules',
  severity: 'critical',
  kind: 'missing',
  object: 'nthlayer-checkout-api-latency',
  expected: '12 rules (4 alerts) from prometheus/checkout-api-slo.rules.yaml',
  actual: 'not loaded',
  message:
    'The rule group nthlayer-checkout-api-latency is not loaded on Prometheus "default": deploy prometheus/checkout-api-slo.rules.yaml to its rule files.',
};

/** The page alert's `and on()` edited to `or on ()`. */
export const exprFinding: DriftFinding = {
  target: 'rules',
  severity: 'critical',
  kind: 'changed',
  object:
    'nthlayer-checkout-api-availability: NthlayerErrorBudgetBurn{long_window="1h",severity="page",short_window="5m",slo="availability"}',
  field: 'expr',
  expected:
    '(nthlayer:slo_error:ratio_rate1h{service="checkout-api",slo="availability"} > 0.0144 and nthlayer:slo_error:ratio_rate5m{service="checkout-api",slo="availability"} > 0.0144) and on() (sum(rate(http_requests_total{service="checkout-api"}[1h])) >= 0.1)',
  actual:
    '(nthlayer:slo_error:ratio_rate1h{service="checkout-api",slo="availability"} > 0.0144 and nthlayer:slo_error:ratio_rate5m{service="checkout-api",slo="availability"} > 0.0144) or on () (sum(rate(http_requests_total{service="checkout-api"}[1h])) >= 0.1)',
  message:
    'The loaded expression of NthlayerErrorBudgetBurn{long_window="1h",severity="page",short_window="5m",slo="availability"} differs from the generated one on Prometheus "default".',
};

/** The 6h/30m page alert's `for` edited from 2m to 5m. */
export const forFinding: DriftFinding = {
  target: 'rules',
  severity: 'warning',
  kind: 'changed',
  object:
    'nthlayer-checkout-api-availability: NthlayerErrorBudgetBurn{long_window="6h",severity="page",short_window="30m",slo="availability"}',
  field: 'for',
  expected: '2m',
  actual: '5m',
  message: 'The alert waits 5m before firing; NthLayer generates 2m.',
};

/** `budgetTrendFinding('availability', 1, …)` for 8 points over 14 days, 60 % → 46 % left. */
export const trendFinding: DriftFinding = {
  target: 'budget-trend',
  severity: 'critical',
  kind: 'trend',
  object: 'availability',
  field: 'remaining budget per week',
  expected: '≥ -0.2 %/week (tier 1)',
  actual: '-7 %/week',
  message:
    'The remaining budget of the availability SLO falls by 7 percentage points a week (least squares over 8 points, 14 days; now 46 %). At this rate the budget is spent in 46 days.',
};

/** A panel query edited in Grafana "main". */
export const dashboardFinding: DriftFinding = {
  target: 'dashboard',
  severity: 'warning',
  kind: 'changed',
  object: 'Burn rate: availability',
  field: 'targets[A].expr',
  expected:
    'max(nthlayer:slo_error:ratio_rate5m{service="checkout-api",slo="availability"}) / (1 - 0.999)',
  actual:
    'max(nthlayer:slo_error:ratio_rate5m{service="checkout-api",slo="availability"}) / (1 - 0.99)',
  message:
    'Panel "Burn rate: availability" (row "SLOs") queries something other than what NthLayer generates (query A); regenerate and re-import the dashboard, or change the catalog.',
};

/** The escalation policy's loops changed in PagerDuty. */
export const pagerdutyFinding: DriftFinding = {
  target: 'pagerduty',
  severity: 'warning',
  kind: 'changed',
  object: 'escalation_policy.num_loops',
  field: 'num_loops',
  expected: '2',
  actual: '3',
  message:
    "PagerDuty's escalation_policy.num_loops is 3; NthLayer generates 2 for checkout-api (tier 1).",
};

export const rulesChecked: DriftTargetStatus = {
  target: 'rules',
  state: 'checked',
  instance: 'default',
};
export const rulesUnreachable: DriftTargetStatus = {
  target: 'rules',
  state: 'unreachable',
  instance: 'default',
  detail: 'Prometheus "default" at http://localhost:9099: connect ECONNREFUSED',
};
export const dashboardNotConfigured: DriftTargetStatus = {
  target: 'dashboard',
  state: 'not-configured',
  detail: 'No Grafana instance is configured.',
};
export const dashboardChecked: DriftTargetStatus = {
  target: 'dashboard',
  state: 'checked',
  instance: 'main',
};
export const dashboardUnreachable: DriftTargetStatus = {
  target: 'dashboard',
  state: 'unreachable',
  instance: 'main',
  detail:
    'Grafana "main" at http://127.0.0.1:3001 is unreachable (GET /api/dashboards/uid/nthlayer-checkout-api): ECONNREFUSED',
};
export const pagerdutyNotConfigured: DriftTargetStatus = {
  target: 'pagerduty',
  state: 'not-configured',
  detail: 'No PagerDuty token is configured.',
};
export const pagerdutyChecked: DriftTargetStatus = {
  target: 'pagerduty',
  state: 'checked',
};
export const pagerdutyUnreachable: DriftTargetStatus = {
  target: 'pagerduty',
  state: 'unreachable',
  detail:
    'PagerDuty GET /services/P1 could not be sent: connect ECONNREFUSED 127.0.0.1:1',
};
export const budgetTrendChecked: DriftTargetStatus = {
  target: 'budget-trend',
  state: 'checked',
};
/** No builder in the project writes this one yet: the backend's trend reads stored history. */
export const budgetTrendUnreachable: DriftTargetStatus = {
  target: 'budget-trend',
  state: 'unreachable',
  detail: 'The stored budget history could not be read.',
};

/** The demo's statuses: rules checked, no Grafana, no PagerDuty, trend checked. */
export const demoTargets: DriftTargetStatus[] = [
  rulesChecked,
  dashboardNotConfigured,
  pagerdutyNotConfigured,
  budgetTrendChecked,
];

/** A report as the drift task stores it, its summary counted from the findings. */
export const report = (
  findings: DriftFinding[] = [],
  targets: DriftTargetStatus[] = demoTargets,
  checkedAt: string = minutesAgo(5),
): DriftReport => ({
  entityRef: ENTITY_REF,
  checkedAt,
  targets,
  findings,
  summary: summarizeDrift(findings),
});

/** The drift route's answer for `report` (null: not checked yet). */
export const drift = (
  latest: DriftReport | null,
  history: EntityDriftResponse['history'] = [],
): EntityDriftResponse => ({ entityRef: ENTITY_REF, report: latest, history });
