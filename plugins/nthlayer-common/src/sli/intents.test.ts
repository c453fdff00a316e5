import { DEFAULT_TIERS } from '../tiers';
import { parseNthlayerService } from '../serviceModel';
import { parseSelector } from '../selector';
import {
  SLI_INTENTS,
  SLI_PRESETS,
  candidateSeriesSelector,
  resolveSliIntent,
  sliCandidates,
  unresolvedSliMessage,
} from './intents';

const model = { tiers: DEFAULT_TIERS, defaultTimeZone: 'UTC', prometheusInstances: ['default'] };
const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default', annotations: { 'nthlayer.dev/tier': '1', ...annotations } },
  spec: { type: 'service', owner: 'team-a' },
});

describe('SLI presets', () => {
  it('covers the required instrumentations, every api preset with requests and latency', () => {
    expect(SLI_PRESETS.map(p => p.id)).toEqual([
      'nthlayer', 'otel-http', 'otel-rpc', 'micrometer', 'grpc-go', 'grpc-java', 'istio', 'envoy', 'nginx-ingress', 'otel-messaging',
    ]);
    for (const p of SLI_PRESETS.filter(x => x.candidates.some(c => c.intent === 'requests'))) {
      expect(p.candidates.map(c => c.intent)).toEqual(expect.arrayContaining(['requests', 'latency']));
    }
    // Every service type has at least two candidate families for each intent it needs.
    for (const intents of Object.values(SLI_INTENTS)) {
      for (const intent of intents) expect(sliCandidates(intent).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('writes selectors that parse as PromQL matchers, quoting the service name', () => {
    for (const p of SLI_PRESETS) {
      for (const c of p.candidates) {
        const selector = candidateSeriesSelector(c, 'checkout-api');
        const inner = selector.slice(selector.indexOf('{') + 1, -1);
        expect(parseSelector(inner)).toBe(inner);
        expect(parseSelector(c.badMatcher ?? 'x="y"')).toBe(c.badMatcher ?? 'x="y"');
      }
    }
    const otel = sliCandidates('latency', 'otel-http')[0];
    expect(candidateSeriesSelector(otel, 'checkout-api')).toBe('http_server_request_duration_seconds_bucket{job="checkout-api"}');
    expect(candidateSeriesSelector(otel, 'we"ird')).toBe('http_server_request_duration_seconds_bucket{job="we\\"ird"}');
    const istio = sliCandidates('requests', 'istio')[0];
    expect(candidateSeriesSelector(istio, 'checkout-api')).toBe('istio_requests_total{destination_service_name="checkout-api",reporter="destination"}');
    // The entity's own selector replaces the preset's service label.
    expect(candidateSeriesSelector(otel, 'checkout-api', 'job="shop/checkout"')).toBe(
      'http_server_request_duration_seconds_bucket{job="shop/checkout"}',
    );
  });
});

describe('resolveSliIntent', () => {
  it('takes the first candidate with series and stops asking there', async () => {
    const asked: string[] = [];
    const have = new Set(['http_server_requests_seconds_count{application="checkout-api"}', 'istio_requests_total{destination_service_name="checkout-api",reporter="destination"}']);
    const r = await resolveSliIntent('requests', 'checkout-api', async s => {
      asked.push(s);
      return have.has(s);
    });
    expect(r.chosen).toMatchObject({ preset: 'micrometer', metric: 'http_server_requests_seconds_count', badMatcher: 'outcome="SERVER_ERROR"' });
    expect(r.tried.map(t => [t.preset, t.found])).toEqual([
      ['nthlayer', false],
      ['otel-http', false],
      ['otel-rpc', false],
      ['micrometer', true],
    ]);
    expect(asked).toHaveLength(4);
  });

  it('asks only the pinned preset', async () => {
    const r = await resolveSliIntent('latency', 'checkout-api', async () => true, { pinned: 'nginx-ingress' });
    expect(r.chosen).toMatchObject({ preset: 'nginx-ingress', metric: 'nginx_ingress_controller_request_duration_seconds', unit: 'seconds' });
    expect(r.tried).toHaveLength(1);
    const none = await resolveSliIntent('latency', 'checkout-api', async () => false, { pinned: 'otel-http' });
    expect(none.chosen).toBeNull();
    expect(unresolvedSliMessage(none)).toBe(
      'No series for latency (nthlayer.dev/sli-preset pins otel-http). Looked for: http_server_request_duration_seconds_bucket{job="checkout-api"} (OpenTelemetry HTTP). Any of these provides them: an OpenTelemetry SDK or agent (HTTP server semantic conventions) through the Prometheus exporter or OTLP ingestion.',
    );
  });

  it('lists everything looked for and who would provide it when nothing exists', async () => {
    const r = await resolveSliIntent('jobs', 'report-worker', async () => false);
    expect(r.chosen).toBeNull();
    expect(r.tried.map(t => t.selector)).toEqual([
      'jobs_processed_total{service="report-worker"}',
      'messaging_process_duration_seconds_count{job="report-worker"}',
    ]);
    const message = unresolvedSliMessage(r);
    expect(message).toContain('Looked for: jobs_processed_total{service="report-worker"} (NthLayer convention); messaging_process_duration_seconds_count{job="report-worker"} (OpenTelemetry messaging)');
    expect(message).toContain('an OpenTelemetry SDK or agent (messaging consumer semantic conventions)');
  });
});

describe('nthlayer.dev/sli-preset', () => {
  it('pins a known preset that covers the service type', () => {
    const { service, findings } = parseNthlayerService(entity({ 'nthlayer.dev/sli-preset': 'otel-http' }), model);
    expect(findings).toEqual([]);
    expect(service!.sliPreset).toBe('otel-http');
    expect(parseNthlayerService(entity({}), model).service!.sliPreset).toBeUndefined();
  });

  it('is a finding when unknown or when the preset lacks the type’s metrics', () => {
    const unknown = parseNthlayerService(entity({ 'nthlayer.dev/sli-preset': 'prometheus-magic' }), model);
    expect(unknown.service!.sliPreset).toBeUndefined();
    expect(unknown.findings).toEqual([
      expect.objectContaining({
        annotation: 'nthlayer.dev/sli-preset',
        value: 'prometheus-magic',
        accepted: expect.stringContaining('one of nthlayer, otel-http, otel-rpc, micrometer'),
      }),
    ]);
    const wrongType = parseNthlayerService(entity({ 'nthlayer.dev/sli-preset': 'otel-messaging' }), model);
    expect(wrongType.service!.sliPreset).toBeUndefined();
    expect(wrongType.findings[0].message ?? JSON.stringify(wrongType.findings[0])).toContain('otel-messaging has no requests or latency metrics');
  });
});
