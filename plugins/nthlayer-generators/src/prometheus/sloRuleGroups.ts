import {
  BURN_RATE_WINDOWS,
  MWMBR_THRESHOLDS,
  NthlayerService,
  SloDefinition,
} from '@nthlayer/backstage-plugin-common';
import {
  burnThreshold,
  cleanNumber,
  errorRatioExpr,
  eventRate,
  sloErrorRecordName,
  sloEventSelectors,
} from './sloExpressions';
import { PrometheusRuleGroup, PrometheusRuleOptions } from './types';

/** Name of the burn-rate alerts (DESIGN §3, a public contract). @public */
export const BURN_ALERT_NAME = 'NthlayerErrorBudgetBurn';

/** Default minimum event rate (events/s) below which burn-rate alerts never page. @public */
export const DEFAULT_MIN_EVENT_RATE = 0.1;

/** Default `for` of the burn-rate alerts. @public */
export const DEFAULT_BURN_ALERT_FOR = '2m';

/** Anchor appended to the runbook base URL of the burn-rate alerts. */
export const BURN_RUNBOOK_ANCHOR = '#error-budget-burn';

type Row = (typeof MWMBR_THRESHOLDS)[number];

interface GroupContext {
  service: NthlayerService;
  team: string;
  slo: SloDefinition;
  options: PrometheusRuleOptions;
}

/** The windows recorded for an SLO: the burn-rate windows, then its rolling window. */
export function recordedWindows(slo: SloDefinition): string[] {
  const windows: string[] = [...BURN_RATE_WINDOWS];
  if (!slo.window.calendar && !windows.includes(slo.window.text)) {
    windows.push(slo.window.text);
  }
  return windows;
}

/** Labels of every recorded SLO series. */
function sloLabels(ctx: GroupContext): Record<string, string> {
  return {
    service: ctx.service.name,
    slo: ctx.slo.name,
    team: ctx.team,
    tier: String(ctx.service.tier),
  };
}

function recordedSelector(ctx: GroupContext, window: string): string {
  const { service, slo } = ctx;
  return `${sloErrorRecordName(window)}{service="${service.name}",slo="${
    slo.name
  }"}`;
}

function percent(ratio: number): string {
  return `${cleanNumber(ratio * 100)}%`;
}

function burnAlert(ctx: GroupContext, row: Row): Record<string, unknown> {
  const { service, slo, options } = ctx;
  const threshold = burnThreshold(row.factor, slo.targetPercent);
  const budget = cleanNumber(1 - slo.targetPercent / 100);
  let expr =
    `(${recordedSelector(ctx, row.longWindow)} > ${threshold}` +
    ` and ${recordedSelector(ctx, row.shortWindow)} > ${threshold})`;
  const minRate = options.minEventRate ?? DEFAULT_MIN_EVENT_RATE;
  if (row.severity === 'page' && minRate > 0) {
    const total = sloEventSelectors(service, slo).total;
    expr += ` and on() (${eventRate(total, row.longWindow)} >= ${minRate})`;
  }
  const annotations: Record<string, string> = {
    summary: `${service.name}: ${slo.name} SLO burns its error budget ${row.factor}x too fast (${row.longWindow}/${row.shortWindow})`,
    description:
      `The error ratio of the ${slo.name} SLO of ${service.name} (target ${slo.targetPercent}% ` +
      `over ${slo.window.text}, error budget ${percent(
        budget,
      )}) is above ${percent(threshold)} ` +
      `— ${row.factor}x the budgeted rate — over both the last ${row.longWindow} and the last ` +
      `${row.shortWindow}. At this rate ${row.budgetSpentPercent}% of the ${slo.window.text} ` +
      `budget is spent within ${row.longWindow}.`,
  };
  if (service.runbookUrl) {
    annotations.runbook_url = `${service.runbookUrl}${BURN_RUNBOOK_ANCHOR}`;
  }
  return {
    alert: BURN_ALERT_NAME,
    expr,
    for: options.alertFor ?? DEFAULT_BURN_ALERT_FOR,
    labels: {
      severity: row.severity,
      ...sloLabels(ctx),
      long_window: row.longWindow,
      short_window: row.shortWindow,
    },
    annotations,
  };
}

/**
 * The rule group of one SLO: the recorded error ratios, then the four burn-rate alerts
 * (rules of a group run in order, so the alerts read ratios of the same evaluation).
 */
export function sloRuleGroup(
  service: NthlayerService,
  team: string,
  slo: SloDefinition,
  options: PrometheusRuleOptions,
): PrometheusRuleGroup {
  const ctx: GroupContext = { service, team, slo, options };
  const selectors = sloEventSelectors(service, slo);
  const records = recordedWindows(slo).map(window => ({
    record: sloErrorRecordName(window),
    expr: errorRatioExpr(selectors, window),
    labels: sloLabels(ctx),
  }));
  return {
    name: `nthlayer-${service.name}-${slo.name}`,
    rules: [...records, ...MWMBR_THRESHOLDS.map(row => burnAlert(ctx, row))],
  };
}
