import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEFAULT_TIERS, NthlayerService, parseNthlayerService } from '@nthlayer/backstage-plugin-common';
import { FixtureSeries, RunningPrometheus, startPrometheusWith } from '@internal/nthlayer-test-utils';
import { createNthlayerDatabase } from '../database/NthlayerDatabase';
import { serviceEntity } from '../testing/fixtureEntities';
import { BudgetEngine } from './BudgetEngine';
import { EntitySloService } from './EntitySloService';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusRegistry } from './PrometheusRegistry';
import { ArtifactService } from './ArtifactService';
import { ServiceFileReader } from './ServiceFileReader';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SliResolver } from './SliResolver';

/*
 * A real Prometheus holding each instrumentation's series for its own service: the resolver
 * must find each one's metric family, the first one when a service has several, only the
 * pinned one when pinned, and nothing (with the list of what it looked for) for a service
 * without metrics. Then the engine measures two of them, and the budgets equal the ones
 * computed by hand from the same rates.
 */
const END = Math.floor(Date.now() / 3_600_000) * 3600 - 3600;
// 74 h: the 3d burn window is full, and always holds two whole UTC days (read from stored days).
const START = END - 74 * 3600;
const linear = (perSecond: number) => (t: number) => perSecond * (t - START);
const raw = (name: string, labels: Record<string, string>, perSecond: number): FixtureSeries => ({
  family: name,
  type: 'unknown',
  name,
  labels,
  valueAt: linear(perSecond),
});

const series: FixtureSeries[] = [
  // otel-api (OpenTelemetry HTTP): 9.95 ok + 0.05 5xx per s; 9.6 of 10 within 500 ms.
  raw('http_server_request_duration_seconds_count', { job: 'otel-api', http_response_status_code: '200' }, 9.95),
  raw('http_server_request_duration_seconds_count', { job: 'otel-api', http_response_status_code: '500' }, 0.05),
  raw('http_server_request_duration_seconds_bucket', { job: 'otel-api', http_response_status_code: '200', le: '0.5' }, 9.55),
  raw('http_server_request_duration_seconds_bucket', { job: 'otel-api', http_response_status_code: '500', le: '0.5' }, 0.05),
  raw('http_server_request_duration_seconds_bucket', { job: 'otel-api', http_response_status_code: '200', le: '+Inf' }, 9.95),
  raw('http_server_request_duration_seconds_bucket', { job: 'otel-api', http_response_status_code: '500', le: '+Inf' }, 0.05),
  // mm-api (Micrometer): 19.8 SUCCESS, 0.5 CLIENT_ERROR (not bad), 0.2 SERVER_ERROR per s; 20 of 20.5 within 500 ms.
  raw('http_server_requests_seconds_count', { application: 'mm-api', outcome: 'SUCCESS', status: '200', uri: '/pay' }, 19.8),
  raw('http_server_requests_seconds_count', { application: 'mm-api', outcome: 'CLIENT_ERROR', status: '404', uri: '/pay' }, 0.5),
  raw('http_server_requests_seconds_count', { application: 'mm-api', outcome: 'SERVER_ERROR', status: '503', uri: '/pay' }, 0.2),
  raw('http_server_requests_seconds_bucket', { application: 'mm-api', uri: '/pay', le: '0.5' }, 20),
  raw('http_server_requests_seconds_bucket', { application: 'mm-api', uri: '/pay', le: '+Inf' }, 20.5),
  // both-api: this project's convention and OpenTelemetry: the convention comes first.
  raw('http_requests_total', { service: 'both-api', status: '200' }, 1),
  raw('http_server_request_duration_seconds_count', { job: 'both-api', http_response_status_code: '200' }, 1),
  // pinned-api: the same two, pinned to OpenTelemetry.
  raw('http_requests_total', { service: 'pinned-api', status: '200' }, 1),
  raw('http_server_request_duration_seconds_count', { job: 'pinned-api', http_response_status_code: '200' }, 1),
  raw('http_server_request_duration_seconds_bucket', { job: 'pinned-api', le: '+Inf' }, 1),
  // istio-api (destination reporter) and source-only-api (only the source reporter: not its SLI).
  raw('istio_requests_total', { destination_service_name: 'istio-api', reporter: 'destination', response_code: '200' }, 1),
  raw('istio_request_duration_milliseconds_bucket', { destination_service_name: 'istio-api', reporter: 'destination', le: '500' }, 1),
  raw('istio_requests_total', { destination_service_name: 'source-only-api', reporter: 'source', response_code: '200' }, 1),
  // grpcj-api: handled_total is shared by the Go and Java interceptors; the latency names differ.
  raw('grpc_server_handled_total', { job: 'grpcj-api', grpc_code: 'OK' }, 1),
  raw('grpc_server_handled_latency_seconds_bucket', { job: 'grpcj-api', le: '0.5' }, 1),
  // nginx-api behind ingress-nginx; custom-api measured by its own selector.
  raw('nginx_ingress_controller_requests', { service: 'nginx-api', status: '200' }, 1),
  raw('nginx_ingress_controller_request_duration_seconds_bucket', { service: 'nginx-api', le: '0.5' }, 1),
  raw('http_server_request_duration_seconds_count', { job: 'shop/custom', http_response_status_code: '200' }, 1),
  // legacy-shop: its own counter, no convention at all: 4.98 ok + 0.02 error per s.
  raw('shop_requests_total', { app: 'legacy', result: 'ok' }, 4.98),
  raw('shop_requests_total', { app: 'legacy', result: 'error' }, 0.02),
];

const api = (name: string, annotations: Record<string, string> = {}) =>
  serviceEntity(name, { 'nthlayer.dev/tier': '2', 'nthlayer.dev/slo-window': '1d', 'nthlayer.dev/slo-availability': '99', 'nthlayer.dev/slo-latency': 'p95<500ms', ...annotations });
const entities = [
  api('otel-api'),
  api('mm-api'),
  api('both-api'),
  api('pinned-api', { 'nthlayer.dev/sli-preset': 'otel-http' }),
  api('istio-api'),
  api('source-only-api'),
  api('grpcj-api'),
  api('nginx-api'),
  api('custom-api', { 'nthlayer.dev/prometheus-selector': 'job="shop/custom"' }),
  api('none-api'),
  api('legacy-shop', { 'nthlayer.dev/sli-good': 'shop_requests_total{app="legacy",result="ok"}', 'nthlayer.dev/sli-total': 'shop_requests_total{app="legacy"}' }),
  api('legacy-shop-bad', { 'nthlayer.dev/sli-bad': 'shop_requests_total{app="legacy",result="error"}', 'nthlayer.dev/sli-total': 'shop_requests_total{app="legacy"}' }),
];
const model = { tiers: DEFAULT_TIERS, defaultTimeZone: 'UTC', prometheusInstances: ['default'] };
const services = new Map<string, NthlayerService>(
  entities.map(e => [e.metadata.name, parseNthlayerService(e, model).service!]),
);

describe('SliResolver against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let registry: PrometheusRegistry;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  beforeAll(async () => {
    prometheus = await startPrometheusWith(series, { from: START, to: END, stepSeconds: 60 });
    registry = new PrometheusRegistry([new PrometheusClient({ baseUrl: prometheus.baseUrl, timeoutMs: 5000, retries: 0 })]);
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  const resolverAt = () => new SliResolver({ prometheus: registry, clock: () => new Date(END * 1000) });

  it.each([
    ['otel-api', 'otel-http', 'http_server_request_duration_seconds_count', 'otel-http', 'http_server_request_duration_seconds'],
    ['mm-api', 'micrometer', 'http_server_requests_seconds_count', 'micrometer', 'http_server_requests_seconds'],
    ['both-api', 'nthlayer', 'http_requests_total', null, null],
    ['pinned-api', 'otel-http', 'http_server_request_duration_seconds_count', 'otel-http', 'http_server_request_duration_seconds'],
    ['istio-api', 'istio', 'istio_requests_total', 'istio', 'istio_request_duration_milliseconds'],
    ['source-only-api', null, null, null, null],
    ['grpcj-api', 'grpc-go', 'grpc_server_handled_total', 'grpc-java', 'grpc_server_handled_latency_seconds'],
    ['nginx-api', 'nginx-ingress', 'nginx_ingress_controller_requests', 'nginx-ingress', 'nginx_ingress_controller_request_duration_seconds'],
    ['custom-api', 'otel-http', 'http_server_request_duration_seconds_count', null, null],
    ['none-api', null, null, null, null],
  ])('%s: requests from %s (%s), latency from %s (%s)', async (name, reqPreset, reqMetric, latPreset, latMetric) => {
    const [requests, latency] = await resolverAt().resolve(services.get(name)!);
    expect(requests.intent).toBe('requests');
    expect(requests.chosen ? [requests.chosen.preset, requests.chosen.metric] : null).toEqual(reqPreset ? [reqPreset, reqMetric] : null);
    expect(latency.chosen ? [latency.chosen.preset, latency.chosen.metric] : null).toEqual(latPreset ? [latPreset, latMetric] : null);
    // The candidates are asked in order and the search stops at the first with series.
    expect(requests.tried.filter(t => t.found).length).toBe(reqPreset ? 1 : 0);
    expect(requests.tried[requests.tried.length - 1].preset).toBe(reqPreset ?? requests.tried[requests.tried.length - 1].preset);
  });

  it('asks only the pinned preset, and tells what it looked for when nothing is there', async () => {
    const [pinned] = await resolverAt().resolve(services.get('pinned-api')!);
    expect(pinned.tried.map(t => t.preset)).toEqual(['otel-http']);
    const [none] = await resolverAt().resolve(services.get('none-api')!);
    expect(none.tried.map(t => t.preset)).toEqual(['nthlayer', 'otel-http', 'otel-rpc', 'micrometer', 'grpc-go', 'grpc-java', 'istio', 'envoy', 'nginx-ingress']);
    expect(none.tried.every(t => !t.found)).toBe(true);
    expect(none.tried[0].selector).toBe('http_requests_total{service="none-api"}');
  });

  it('answers every default-selector service from one label-values request per candidate', async () => {
    const resolver = resolverAt();
    for (const name of ['otel-api', 'mm-api', 'both-api', 'istio-api', 'grpcj-api', 'nginx-api', 'none-api']) {
      await resolver.resolve(services.get(name)!);
    }
    // 9 requests candidates + 9 latency candidates at most, however many services.
    expect(resolver.requests).toBeLessThanOrEqual(18);
    const before = resolver.requests;
    await resolver.resolve(services.get('none-api')!);
    expect(resolver.requests).toBe(before);
  });

  it('measures the OpenTelemetry and Micrometer services from their own metrics, equal to the hand-computed budgets', async () => {
    const knex = await databases.init('SQLITE_3');
    const db = await createNthlayerDatabase({ database: { getClient: async () => knex } });
    const measured = entities.filter(e => ['otel-api', 'mm-api', 'none-api', 'legacy-shop', 'legacy-shop-bad'].includes(e.metadata.name));
    const engine = new BudgetEngine({
      readEntities: async () => measured,
      prometheus: registry,
      db,
      logger: mockServices.logger.mock(),
      model,
      longWindows: 'raw',
      sliResolver: resolverAt(),
      clock: () => new Date(END * 1000),
    });
    const summary = await engine.refresh();
    expect(summary.errors).toEqual([]);
    const slos = new EntitySloService({ catalog: catalogServiceMock({ entities: measured }), db, model, minEventRate: 0.1, clock: () => new Date(END * 1000) });
    const credentials = await mockServices.auth().getOwnServiceCredentials();
    const get = (name: string) => slos.getEntitySlos({ kind: 'component', namespace: 'default', name }, credentials);

    // otel-api, 99 % over 1 d: error 0.05 / 10 = 0.005 → remaining 1 − 0.005 / 0.01 = 0.5.
    // Latency p95 < 500 ms: 9.6 of 10 within → error 0.04, allowed 0.05 → remaining 0.2.
    const otel = await get('otel-api');
    const [otelAvailability, otelLatency] = otel.slos;
    expect(otelAvailability.totalEvents).toBeCloseTo(10 * 86_400, 3);
    expect(otelAvailability.errorBudget!.remainingRatio).toBeCloseTo(0.5, 6);
    expect(otelLatency.errorBudget!.remainingRatio).toBeCloseTo(0.2, 6);
    expect(otelAvailability.measuredFrom).toMatchObject({ preset: 'otel-http', title: 'OpenTelemetry HTTP', metric: 'http_server_request_duration_seconds_count', found: true, pinned: false });
    expect(otelLatency.measuredFrom).toMatchObject({ preset: 'otel-http', metric: 'http_server_request_duration_seconds' });

    // mm-api: bad 0.2 of 20.5 (4xx is not bad) → error 0.0097561 → remaining 1 − 0.97561 = 0.0243902.
    // Latency: 20 of 20.5 within → error 0.0243902, allowed 0.05 → remaining 0.5121951.
    const mm = await get('mm-api');
    expect(mm.slos[0].totalEvents).toBeCloseTo(20.5 * 86_400, 3);
    expect(mm.slos[0].errorBudget!.remainingRatio).toBeCloseTo(1 - 0.2 / 20.5 / 0.01, 6);
    expect(mm.slos[1].errorBudget!.remainingRatio).toBeCloseTo(1 - 0.5 / 20.5 / 0.05, 6);
    expect(mm.slos[0].measuredFrom).toMatchObject({ preset: 'micrometer', title: 'Micrometer (Spring Boot)' });

    // none-api: no data, a finding per intent naming what was looked for and who provides it.
    const none = await get('none-api');
    expect(none.slos.map(s => s.status)).toEqual(['no-data', 'no-data']);
    expect(none.slos[0].measuredFrom).toMatchObject({ found: false, metric: 'http_requests_total' });
    const messages = none.findings.map(f => f.message);
    expect(messages).toEqual([
      expect.stringContaining('No series for requests. Looked for: http_requests_total{service="none-api"} (NthLayer convention); http_server_request_duration_seconds_count{job="none-api"} (OpenTelemetry HTTP)'),
      expect.stringContaining('No series for latency.'),
    ]);
    expect(messages[0]).toContain('Spring Boot Actuator with micrometer-registry-prometheus');

    // legacy-shop (good/total) and legacy-shop-bad (bad/total), 99 %: error 0.02 / 5 = 0.004 →
    // remaining 1 − 0.004 / 0.01 = 0.6, the same from both forms; named "custom PromQL".
    for (const name of ['legacy-shop', 'legacy-shop-bad']) {
      const custom = await get(name);
      expect(custom.slos[0].totalEvents).toBeCloseTo(5 * 86_400, 3);
      expect(custom.slos[0].errorBudget!.remainingRatio).toBeCloseTo(0.6, 6);
      expect(custom.slos[0].measuredFrom).toMatchObject({ preset: 'custom', title: 'custom PromQL', metric: 'shop_requests_total{app="legacy"}', found: true });
      expect(custom.findings.filter(f => f.annotation === 'nthlayer.dev/sli-preset').map(f => f.message)).toEqual([expect.stringContaining('No series for latency.')]);
    }

    // Whole days of long windows are read from stored daily counts (the default 'rollup'
    // mode), keyed by each family's own service label: the 3d burn window of the OpenTelemetry
    // (job) and Micrometer (application) services holds all three days, as in raw mode.
    const knex2 = await databases.init('SQLITE_3');
    const db2 = await createNthlayerDatabase({ database: { getClient: async () => knex2 } });
    const rollup = new BudgetEngine({
      readEntities: async () => measured,
      prometheus: registry,
      db: db2,
      logger: mockServices.logger.mock(),
      model,
      sliResolver: resolverAt(),
      clock: () => new Date(END * 1000),
    });
    expect((await rollup.refresh()).errors).toEqual([]);
    for (const [name, perSecond] of [['otel-api', 10], ['mm-api', 20.5], ['legacy-shop', 5]] as const) {
      const [rolled] = await db2.measurements.listForEntity(`component:default/${name}`);
      const [rawRow] = (await db.measurements.listForEntity(`component:default/${name}`)).filter(m => m.sloName === rolled.sloName);
      const threeDays = (rows: typeof rolled) => rows.shortWindows.find(w => w.window === '3d')!;
      expect(threeDays(rolled).totalEvents).toBeCloseTo(perSecond * 3 * 86_400, 0);
      expect(threeDays(rolled).totalEvents).toBeCloseTo(threeDays(rawRow).totalEvents, 0);
      expect(threeDays(rolled).goodEvents).toBeCloseTo(threeDays(rawRow).goodEvents, 0);
    }

    // The generated configs query the same families: rules, OpenSLO and the dashboard of the
    // OpenTelemetry service name its metrics, never the convention's; promtool accepts the rules.
    const artifacts = new ArtifactService({
      catalog: catalogServiceMock({ entities: measured }),
      serviceFiles: new ServiceFileReader({
        urlReader: mockServices.urlReader.mock(),
        integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      }),
      model,
      sliSources: db.sliSources,
    });
    const generated = await artifacts.generate({ kind: 'component', namespace: 'default', name: 'otel-api' }, credentials);
    const rules = generated.artifacts.find(a => a.kind === 'prometheus-rules')!.content;
    expect(rules).toContain('http_server_request_duration_seconds_count{job="otel-api",http_response_status_code!~"5.."}');
    expect(rules).toContain('http_server_request_duration_seconds_bucket{job="otel-api",le=~"0[.]50*"}');
    expect(rules).not.toContain('http_requests_total');
    for (const kind of ['openslo', 'grafana-dashboard']) {
      const content = generated.artifacts.find(a => a.kind === kind)!.content;
      expect(content).toContain('http_server_request_duration_seconds');
      expect(content).not.toContain('http_requests_total');
    }
    const dir = await mkdtemp(join(tmpdir(), 'nthlayer-sli-rules-'));
    try {
      await writeFile(join(dir, 'rules.yaml'), rules);
      await expect(promisify(execFile)(process.env.PROMTOOL ?? 'promtool', ['check', 'rules', join(dir, 'rules.yaml')])).resolves.toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
