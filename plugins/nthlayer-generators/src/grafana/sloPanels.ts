import {
  BURN_RATE_WINDOWS,
  MWMBR_THRESHOLDS,
  NthlayerService,
  SERVICE_LABEL,
  SloDefinition,
  serviceSliQueries,
} from '@nthlayer/backstage-plugin-common';
import { PanelSpec } from './panelKit';

/** Name of the recording rule of an SLO's error ratio over `window` (DESIGN §3 contract). */
export function sloErrorRatioRule(window: string): string {
  return `nthlayer:slo_error:ratio_rate${window}`;
}

/** `1 − target` as a PromQL scalar expression, e.g. `(1 - 0.999)`. */
function budgetFraction(slo: SloDefinition): string {
  return `(1 - ${parseFloat((slo.targetPercent / 100).toPrecision(12))})`;
}

/** Selects the recording-rule series of one SLO of the service. */
function ruleSelector(service: NthlayerService, slo: SloDefinition): string {
  return `${SERVICE_LABEL}="${service.name}",slo="${slo.name}"`;
}

function errorRatio(
  service: NthlayerService,
  slo: SloDefinition,
  window: string,
) {
  return `max(${sloErrorRatioRule(window)}{${ruleSelector(service, slo)}})`;
}

function budgetRemaining(
  service: NthlayerService,
  slo: SloDefinition,
): PanelSpec {
  return {
    title: `Error budget remaining: ${slo.name}`,
    description:
      `Share of the ${slo.window.text} error budget of the ${slo.targetPercent}% ${slo.name} ` +
      `objective still unspent: 1 − error ratio over the window / (1 − target). Read from the ` +
      `recording rule ${sloErrorRatioRule(slo.window.text)}.`,
    unit: 'percentunit',
    queries: [
      {
        expr: `1 - ${errorRatio(
          service,
          slo,
          slo.window.text,
        )} / ${budgetFraction(slo)}`,
        legend: 'remaining',
      },
    ],
    baseColor: 'red',
    thresholds: [
      { value: 0.1, color: 'orange' },
      { value: 0.25, color: 'green' },
    ],
    width: 6,
  };
}

function burnRates(service: NthlayerService, slo: SloDefinition): PanelSpec {
  const factors = [...new Set(MWMBR_THRESHOLDS.map(t => t.factor))].sort(
    (a, b) => a - b,
  );
  return {
    title: `Burn rate: ${slo.name}`,
    description:
      'Error ratio over each window divided by the error budget (1 − target); 1 spends the ' +
      'budget exactly over the SLO window. Dashed lines: the burn factors of the ' +
      'multi-window, multi-burn-rate alerts.',
    unit: 'none',
    queries: BURN_RATE_WINDOWS.map(window => ({
      expr: `${errorRatio(service, slo, window)} / ${budgetFraction(slo)}`,
      legend: window,
    })),
    thresholds: factors.map((value, i) => ({
      value,
      color: ['yellow', 'orange', 'red', 'dark-red'][i] ?? 'red',
    })),
    min: 0,
    width: 9,
  };
}

function sli(service: NthlayerService, slo: SloDefinition): PanelSpec {
  const { good, total } = serviceSliQueries(service, slo, '5m');
  const what =
    slo.kind === 'latency' && slo.latency
      ? `share of requests faster than ${slo.latency.thresholdMs} ms`
      : 'share of good events';
  return {
    title: `SLI: ${slo.name}`,
    description: `The ${what} over 5-minute windows; the dashed line is the ${slo.targetPercent}% target.`,
    unit: 'percentunit',
    queries: [{ expr: `${good} / ${total}`, legend: 'SLI' }],
    baseColor: 'red',
    thresholds: [{ value: slo.targetPercent / 100, color: 'green' }],
    width: 9,
  };
}

/** Per SLO: budget remaining, burn rates over the standard windows and the SLI. */
export function sloPanels(
  service: NthlayerService,
): Array<{ kind: 'stat' | 'timeseries'; spec: PanelSpec }> {
  return service.slos.flatMap(slo => [
    { kind: 'stat' as const, spec: budgetRemaining(service, slo) },
    { kind: 'timeseries' as const, spec: burnRates(service, slo) },
    { kind: 'timeseries' as const, spec: sli(service, slo) },
  ]);
}
