import {
  NthlayerService,
  SloDefinition,
  SloWindow,
  sliCandidates,
  sliSelectors,
} from '@nthlayer/backstage-plugin-common';
import { parseAllDocuments } from 'yaml';
import { generateOpenSlo } from '../../openslo/generateOpenSlo';
import { availability, latency } from '../../openslo/__testUtils__/openSloTestUtils';
import { sampleInput } from '../../testing/sampleInput';
import { GeneratorInput } from '../../types';
import { importOpenSlo } from './importOpenSlo';

const FALLBACK: SloWindow = { text: '7d', minutes: 10080 };

/** A latency SLO as the catalog annotations make it: the percentile is the target (`p99<300ms`). */
function latencySlo(thresholdMs: number, percentile = 99, window = latency.window): SloDefinition {
  return { ...latency, targetPercent: percentile, window, latency: { percentile, thresholdMs } };
}

const BERLIN_MONTH: SloWindow = { text: '1M', minutes: 43200, calendar: { unit: 'month', timeZone: 'Europe/Berlin' } };
const UTC_QUARTER: SloWindow = { text: '1Q', minutes: 131040, calendar: { unit: 'quarter', timeZone: 'UTC' } };

const SERVICES: Array<[string, GeneratorInput]> = [
  ['an api with availability and latency', sampleInput({}, [], [availability, latencySlo(500)])],
  ['a worker', sampleInput({ name: 'billing-worker', type: 'worker', selector: 'job="billing",env="prod"', defaultSelector: false }, [], [availability])],
  ['a stream on a 28d window', sampleInput({ name: 'events', type: 'stream' }, [], [{ ...availability, targetPercent: 99.95, window: { text: '28d', minutes: 40320 } }])],
  [
    'a calendar month in Europe/Berlin',
    sampleInput({}, [], [{ ...availability, window: BERLIN_MONTH }, latencySlo(300, 95, BERLIN_MONTH)]),
  ],
  ['a calendar quarter in UTC', sampleInput({ name: 'Ledger_API' }, [], [{ ...availability, window: UTC_QUARTER }, latencySlo(1000, 99.5, UTC_QUARTER)])],
  [
    'a custom SLI on the service (good/total)',
    sampleInput(
      { customSli: { good: 'shop_requests_total{app="legacy",result="ok"}', total: 'shop_requests_total{app="legacy"}' } },
      [],
      [availability, latencySlo(250)],
    ),
  ],
  [
    'a custom SLI on the service (bad/total)',
    sampleInput({ customSli: { bad: 'shop_requests_total{app="legacy",result="error"}', total: 'shop_requests_total{app="legacy"}' } }, [], [availability]),
  ],
  [
    'families resolved to OpenTelemetry HTTP',
    sampleInput(
      { sli: { requests: sliCandidates('requests', 'otel-http')[0], latency: sliCandidates('latency', 'otel-http')[0] } },
      [],
      [availability, latencySlo(1500)],
    ),
  ],
  [
    'families in milliseconds (Istio)',
    sampleInput(
      { sli: { requests: sliCandidates('requests', 'istio')[0], latency: sliCandidates('latency', 'istio')[0] } },
      [],
      [availability, latencySlo(250)],
    ),
  ],
  [
    'Envoy, whose latency family is in milliseconds without saying so',
    sampleInput({ sli: { latency: sliCandidates('latency', 'envoy')[0] } }, [], [availability, latencySlo(2.5)]),
  ],
];

function openSloText(input: GeneratorInput): string {
  const { artifacts, findings } = generateOpenSlo(input);
  expect(findings).toEqual([]);
  expect(artifacts).toHaveLength(1);
  return artifacts[0].content;
}

/** The SLO documents' indicator queries, by name. */
function indicatorQueries(text: string): Array<[string, unknown]> {
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter(d => d.kind === 'SLO')
    .map(d => [d.metadata.name, d.spec.indicator.spec]);
}

function imported(input: GeneratorInput) {
  const { service } = input;
  return importOpenSlo(openSloText(input), {
    serviceName: service.name,
    serviceType: service.type,
    fallbackWindow: FALLBACK,
    defaultTimeZone: 'UTC',
  });
}

describe('OpenSLO round trip: generateOpenSlo → importOpenSlo', () => {
  it.each(SERVICES)('%s: the same SLOs', (_, input) => {
    const { slos, findings } = imported(input);
    const original = input.service.slos;
    expect(slos.map(s => [s.name, s.kind, s.targetPercent, s.window, s.latency, s.source])).toEqual(
      original.map(s => [s.name, s.kind, s.targetPercent, s.window, s.latency, 'openslo']),
    );
    // The only finding: NthLayer's own alert policies are not imported (one per SLO).
    expect(findings).toEqual(
      original.map(s =>
        expect.objectContaining({
          severity: 'warning',
          annotation: 'nthlayer.dev/openslo',
          value: expect.stringMatching(new RegExp(`^document \\d+ \\(SLO [a-z0-9.-]+-${s.name}\\) spec\\.alertPolicies$`)),
          message: expect.stringContaining('NthLayer generates its own multi-window burn-rate alerts from the SLO; the listed policies are not imported.'),
        }),
      ),
    );
  });

  it.each(SERVICES)('%s: the same event selectors', (_, input) => {
    const { slos } = imported(input);
    const importedService: NthlayerService = { ...input.service, slos };
    input.service.slos.forEach((original, i) => {
      const { candidate: _a, ...before } = sliSelectors(input.service, original);
      const { candidate: _b, ...after } = sliSelectors(importedService, slos[i]);
      expect(after).toEqual(before);
    });
  });

  it.each(SERVICES)('%s: generating again writes the same indicators', (_, input) => {
    const { slos } = imported(input);
    const again = openSloText({ ...input, service: { ...input.service, slos } });
    expect(indicatorQueries(again)).toEqual(indicatorQueries(openSloText(input)));
  });

  it('a latency SLO whose percentile differs from its target comes back with the target as percentile', () => {
    // sampleLatency: p95 under 500 ms for 99 % of requests. OpenSLO has one target per objective.
    const input = sampleInput({}, [], [latency]);
    const [slo] = imported(input).slos;
    expect(slo).toMatchObject({ name: 'latency', kind: 'latency', targetPercent: 99, latency: { percentile: 99, thresholdMs: 500 } });
  });
});
