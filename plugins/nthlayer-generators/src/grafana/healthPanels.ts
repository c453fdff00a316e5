import {
  NthlayerService,
  SliCandidate,
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
export function latencyQuantile(
  q: number,
  selector: string,
  histogram = 'http_request_duration_seconds',
): string {
  return `histogram_quantile(${q}, sum by (le) (rate(${histogram}_bucket{${selector}}${RATE})))`;
}

/** Event rate and error ratio from the entity's own queries (nothing to split by status). */
function customHealthPanels(
  service: NthlayerService,
  custom: NonNullable<NthlayerService['customSli']>,
): PanelSpec[] {
  const nouns = NOUNS[service.type];
  const rate = (sel: string) => `sum(rate(${sel}${RATE}))`;
  const failure = custom.bad
    ? `${rate(custom.bad)} / ${rate(custom.total)}`
    : `1 - (${rate(custom.good!)} / ${rate(custom.total)})`;
  return [
    {
      title: `${nouns.events} rate`,
      description: `Per-second rate of the entity's nthlayer.dev/sli-total query.`,
      unit: nouns.unit,
      queries: [{ expr: rate(custom.total), legend: 'total' }],
    },
    {
      title: nouns.failure,
      description: `Share of bad events from the entity's nthlayer.dev/sli-* queries over 5-minute windows.`,
      unit: 'percentunit',
      queries: [{ expr: failure, legend: 'failed' }],
      min: 0,
    },
  ];
}

/**
 * Health of the service by type (DESIGN §2 conventions): event rate by status, the
 * failure ratio and, for APIs, latency quantiles.
 */
export function healthPanels(service: NthlayerService): PanelSpec[] {
  // The family the availability SLO is measured from (resolved, or the convention).
  const requests = sliCandidateFor(service, { kind: 'availability' });
  const panels = requests.custom
    ? customHealthPanels(service, requests.custom)
    : statusPanels(service, requests);
  if (service.type === 'api') panels.push(latencyPanel(service));
  return panels;
}

function statusPanels(
  service: NthlayerService,
  requests: SliCandidate,
): PanelSpec[] {
  const { metric } = requests;
  const badMatcher = requests.badMatcher!;
  const statusLabel = /^(\w+)/.exec(badMatcher)?.[1] ?? 'status';
  const sel = sliServiceMatchers(service, requests);
  const nouns = NOUNS[service.type];
  return [
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
}

function latencyPanel(service: NthlayerService): PanelSpec {
  const latencySlo = service.slos.find(s => s.kind === 'latency' && s.latency);
  const histogram = sliCandidateFor(service, { kind: 'latency' });
  const ms = histogram.unit === 'milliseconds';
  return {
    title: 'Latency p50 / p95 / p99',
    description: `Quantiles of ${histogram.metric} over 5-minute windows${
      latencySlo?.latency
        ? `; the dashed line is the ${latencySlo.latency.thresholdMs} ms objective.`
        : '.'
    }`,
    unit: ms ? 'ms' : 's',
    queries: QUANTILES.map(q => ({
      expr: latencyQuantile(
        q,
        sliServiceMatchers(service, histogram),
        histogram.metric,
      ),
      legend: `p${Math.round(q * 100)}`,
    })),
    thresholds: latencySlo?.latency
      ? [
          {
            value: latencySlo.latency.thresholdMs / (ms ? 1 : 1000),
            color: 'red',
          },
        ]
      : undefined,
    min: 0,
  };
}
