import {
  NthlayerService,
  sliCandidateFor,
  sliServiceMatchers,
} from '@nthlayer/backstage-plugin-common';
import { PanelSpec } from './panelKit';

const RATE = '[5m]';
const QUANTILES = [0.5, 0.95, 0.99];
const NOUNS = {
  api: { events: 'Request', unit: 'reqps', failure: 'Error ratio' },
  worker: { events: 'Jobs', unit: 'ops', failure: 'Failure ratio' },
  stream: { events: 'Events', unit: 'ops', failure: 'Error ratio' },
} as const;

/** `histogram_quantile` over `sum by (le)`, as the PromQL conventions want. */
export function latencyQuantile(q: number, selector: string, histogram = 'http_request_duration_seconds'): string {
  return `histogram_quantile(${q}, sum by (le) (rate(${histogram}_bucket{${selector}}${RATE})))`;
}

/**
 * Health of the service by type (DESIGN §2 conventions): event rate by status, the
 * failure ratio and, for APIs, latency quantiles.
 */
export function healthPanels(service: NthlayerService): PanelSpec[] {
  // The family the availability SLO is measured from (resolved, or the convention).
  const requests = sliCandidateFor(service, { kind: 'availability' });
  const { metric } = requests;
  const badMatcher = requests.badMatcher!;
  const statusLabel = /^(\w+)/.exec(badMatcher)?.[1] ?? 'status';
  const sel = sliServiceMatchers(service, requests);
  const nouns = NOUNS[service.type];
  const panels: PanelSpec[] = [
    {
      title: `${nouns.events} rate by ${statusLabel}`,
      description: `Per-second rate of ${metric}, by ${statusLabel}.`,
      unit: nouns.unit,
      queries: [
        {
          expr: `sum by (${statusLabel}) (rate(${metric}{${sel}}${RATE}))`,
          legend: `{{${statusLabel}}}`,
        },
      ],
    },
    {
      title: nouns.failure,
      description: `Share of ${metric} with ${badMatcher} over 5-minute windows.`,
      unit: 'percentunit',
      queries: [
        {
          expr: `sum(rate(${metric}{${sel},${badMatcher}}${RATE})) / sum(rate(${metric}{${sel}}${RATE}))`,
          legend: 'failed',
        },
      ],
      min: 0,
    },
  ];
  if (service.type === 'api') {
    const latencySlo = service.slos.find(
      s => s.kind === 'latency' && s.latency,
    );
    const histogram = sliCandidateFor(service, { kind: 'latency' });
    const ms = histogram.unit === 'milliseconds';
    panels.push({
      title: 'Latency p50 / p95 / p99',
      description: `Quantiles of ${histogram.metric} over 5-minute windows${
        latencySlo?.latency
          ? `; the dashed line is the ${latencySlo.latency.thresholdMs} ms objective.`
          : '.'
      }`,
      unit: ms ? 'ms' : 's',
      queries: QUANTILES.map(q => ({
        expr: latencyQuantile(q, sliServiceMatchers(service, histogram), histogram.metric),
        legend: `p${Math.round(q * 100)}`,
      })),
      thresholds: latencySlo?.latency
        ? [{ value: latencySlo.latency.thresholdMs / (ms ? 1 : 1000), color: 'red' }]
        : undefined,
      min: 0,
    });
  }
  return panels;
}
